package dev.sealpost.crypto;

import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;

/**
 * The key transport and key agreement algorithms sealpost accepts when opening a message.
 *
 * <ul>
 *   <li>RSA: RSAES-OAEP only (RFC 3560). RSA PKCS#1 v1.5 key transport is refused: its
 *       decryption is a padding oracle (Bleichenbacher), which matters on a receiver that
 *       opens whatever it is sent. The OAEP hash and MGF1 hash may be SHA-1 or SHA-2: OAEP's
 *       security does not rest on collision resistance, and SHA-1 is OpenSSL's default.
 *   <li>EC: dhSinglePass-stdDH with the X9.63 KDF over SHA-1 or SHA-2 (RFC 5753 §7.1.4; SHA-1
 *       is again OpenSSL's default and used only as a KDF), with AES key wrap (RFC 3394).
 * </ul>
 */
final class KeyTransportPolicy {
    private KeyTransportPolicy() {}

    private static final Set<ASN1ObjectIdentifier> HASHES = Set.of(
            OIWObjectIdentifiers.idSHA1, NISTObjectIdentifiers.id_sha224, NISTObjectIdentifiers.id_sha256,
            NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    private static final Set<ASN1ObjectIdentifier> ECDH_KDFS = Set.of(
            CMSAlgorithm.ECDH_SHA1KDF, CMSAlgorithm.ECDH_SHA224KDF, CMSAlgorithm.ECDH_SHA256KDF,
            CMSAlgorithm.ECDH_SHA384KDF, CMSAlgorithm.ECDH_SHA512KDF);

    private static final Set<ASN1ObjectIdentifier> KEY_WRAPS = Set.of(
            CMSAlgorithm.AES128_WRAP, CMSAlgorithm.AES192_WRAP, CMSAlgorithm.AES256_WRAP);

    /**
     * @param alg a KeyTransRecipientInfo's keyEncryptionAlgorithm
     * @throws MalformedMessageException unless it is RSAES-OAEP with SHA-1/SHA-2 and MGF1
     */
    static void requireOaep(AlgorithmIdentifier alg) throws MalformedMessageException {
        if (PKCSObjectIdentifiers.rsaEncryption.equals(alg.getAlgorithm())) {
            throw new MalformedMessageException("sealpost requires RSAES-OAEP key transport; this message uses RSA PKCS#1 v1.5");
        }
        if (!PKCSObjectIdentifiers.id_RSAES_OAEP.equals(alg.getAlgorithm())) {
            throw new MalformedMessageException("sealpost requires RSAES-OAEP key transport; this message uses " + alg.getAlgorithm().getId());
        }
        RSAESOAEPparams p = RSAESOAEPparams.getInstance(alg.getParameters()); // absent: SHA-1 defaults (RFC 4055 §4.1)
        AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
        if (!HASHES.contains(p.getHashAlgorithm().getAlgorithm())
                || !PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())
                || !HASHES.contains(AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm())) {
            throw new MalformedMessageException("unsupported RSAES-OAEP parameters (SHA-1 or SHA-2 with MGF1 required)");
        }
    }

    /**
     * @param alg a KeyAgreeRecipientInfo's keyEncryptionAlgorithm, whose parameters name the key wrap
     * @throws MalformedMessageException unless it is dhSinglePass-stdDH with an X9.63 KDF and AES key wrap
     */
    static void requireEcdh(AlgorithmIdentifier alg) throws MalformedMessageException {
        if (!ECDH_KDFS.contains(alg.getAlgorithm())) {
            throw new MalformedMessageException("sealpost requires ECDH dhSinglePass-stdDH key agreement; this message uses " + alg.getAlgorithm().getId());
        }
        if (alg.getParameters() == null || !KEY_WRAPS.contains(AlgorithmIdentifier.getInstance(alg.getParameters()).getAlgorithm())) {
            throw new MalformedMessageException("sealpost requires AES key wrap in ECDH key agreement");
        }
    }
}
