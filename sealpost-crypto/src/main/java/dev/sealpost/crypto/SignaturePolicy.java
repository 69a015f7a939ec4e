package dev.sealpost.crypto;

import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.SignerInformation;

/**
 * The signature algorithms sealpost accepts in a SignerInfo (RFC 5652 §5.3): digests SHA-256,
 * SHA-384, SHA-512 (RFC 5754); signatures RSASSA-PSS with SHA-2 and MGF1-SHA-2 (RFC 4056),
 * RSA PKCS#1 v1.5 with SHA-2 (OpenSSL's default, which writes it as rsaEncryption or
 * sha256WithRSAEncryption, RFC 5754 §3.2), and ECDSA with SHA-2 (RFC 5753 §7.1.3).
 * SHA-1 and MD5 are refused: collisions would let a signer's signature be moved to other content.
 */
final class SignaturePolicy {
    private SignaturePolicy() {}

    private static final Set<ASN1ObjectIdentifier> DIGESTS = Set.of(
            NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

    private static final Set<ASN1ObjectIdentifier> PLAIN_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.rsaEncryption,
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512);

    /**
     * @param signer the SignerInfo to check
     * @throws VerificationFailedException naming the algorithm if it is not accepted
     */
    static void check(SignerInformation signer) throws VerificationFailedException {
        AlgorithmIdentifier digest = signer.getDigestAlgorithmID();
        if (!DIGESTS.contains(digest.getAlgorithm())) {
            throw new VerificationFailedException("unsupported digest algorithm " + digest.getAlgorithm().getId() + " (SHA-256, SHA-384 or SHA-512 required)");
        }
        ASN1ObjectIdentifier sig = signer.getEncryptionAlgOID() == null ? null : new ASN1ObjectIdentifier(signer.getEncryptionAlgOID());
        if (PLAIN_SIGNATURES.contains(sig)) {
            return;
        }
        if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(sig)) {
            RSASSAPSSparams pss = RSASSAPSSparams.getInstance(signer.toASN1Structure().getDigestEncryptionAlgorithm().getParameters());
            AlgorithmIdentifier mgf = pss.getMaskGenAlgorithm();
            if (DIGESTS.contains(pss.getHashAlgorithm().getAlgorithm())
                    && PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())
                    && DIGESTS.contains(AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm())
                    && pss.getTrailerField().intValue() == 1) {
                return;
            }
            throw new VerificationFailedException("unsupported signature algorithm RSASSA-PSS with these parameters (SHA-2 and MGF1-SHA-2 required)");
        }
        throw new VerificationFailedException("unsupported signature algorithm " + sig);
    }
}
