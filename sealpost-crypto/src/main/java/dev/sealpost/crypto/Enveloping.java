package dev.sealpost.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

/**
 * Builds CMS AuthEnvelopedData (RFC 5083) with AES-256-GCM (RFC 5084: 12-byte nonce, 16-byte
 * tag, no authenticated attributes) over the given bytes, with one RecipientInfo per distinct
 * encryption certificate.
 *
 * <ul>
 *   <li>RSA: KeyTransRecipientInfo, RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 3560, RFC 4055 §4).
 *   <li>EC P-256: KeyAgreeRecipientInfo with a fresh ephemeral key per recipient,
 *       dhSinglePass-stdDH-sha256kdf-scheme and id-aes256-wrap (RFC 5753 §3.1, RFC 3394).
 * </ul>
 *
 * The content is encrypted by the JDK's AES-GCM (SunJCE); the content-encryption key is passed to
 * Bouncy Castle as a key object so that no OID-based lookup happens (DESIGN §3).
 */
final class Enveloping {
    private Enveloping() {}

    /**
     * @param content the bytes to encrypt, here the DER ContentInfo(SignedData)
     * @param recipients encryption certificates, already checked by {@link KeyPolicy}; duplicates
     *     (same SHA-256 fingerprint) are encrypted to once
     * @return DER ContentInfo(AuthEnvelopedData)
     * @throws GeneralSecurityException if a key cannot be wrapped or the content encrypted
     */
    static byte[] envelope(byte[] content, Collection<X509Certificate> recipients) throws GeneralSecurityException {
        Map<Fingerprint, X509Certificate> distinct = new LinkedHashMap<>();
        for (X509Certificate cert : recipients) {
            distinct.putIfAbsent(Fingerprint.of(cert), cert);
        }
        try {
            CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
            for (X509Certificate cert : distinct.values()) {
                gen.addRecipientInfoGenerator(recipientInfo(cert));
            }
            KeyGenerator kg = KeyGenerator.getInstance("AES", Providers.sunJce());
            kg.init(256, Providers.RANDOM);
            SecretKey cek = kg.generateKey();
            OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                    .setProvider(Providers.sunJce())
                    .setSecureRandom(Providers.RANDOM)
                    .build(cek);
            return gen.generate(new ChunkedContent(content), encryptor)
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new GeneralSecurityException("encryption failed", e);
        }
    }

    private static RecipientInfoGenerator recipientInfo(X509Certificate cert) throws GeneralSecurityException {
        if (cert.getPublicKey() instanceof RSAPublicKey) {
            OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
            AlgorithmIdentifier alg = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, oaep);
            return new JceKeyTransRecipientInfoGenerator(cert, alg).setProvider(Providers.sunJce());
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), Providers.RANDOM);
        KeyPair ephemeral = g.generateKeyPair();
        try {
            return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                    ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                    .setProvider(Providers.bc())
                    .setSecureRandom(Providers.RANDOM)
                    .addRecipient(cert);
        } catch (CertificateException e) {
            throw new GeneralSecurityException("cannot encode a recipient certificate", e);
        }
    }
}
