package dev.sealpost.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Builds CMS SignedData (RFC 5652 §5) with the content encapsulated as id-data and the signer's
 * certificate included.
 *
 * <p>One SignerInfo, identified by issuer and serial number, digest SHA-256, signed attributes
 * contentType, messageDigest, signingTime (RFC 5652 §11) and CMSAlgorithmProtection (RFC 6211),
 * all added by Bouncy Castle's default signed-attribute generator. RSA keys sign with RSASSA-PSS
 * (SHA-256, MGF1-SHA-256, 32-byte salt, trailer 1; RFC 4056), EC keys with ecdsa-with-SHA256
 * (RFC 5753 §7.1.3). The content is hashed by the JDK's SHA-256.
 */
final class Signing {
    private Signing() {}

    private static final PSSParameterSpec PSS_SHA256 =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

    /**
     * @param content the bytes to sign, any length that fits in memory
     * @param signer whose signing key and certificate to use
     * @return the DER encoding of ContentInfo(SignedData)
     * @throws GeneralSecurityException if the key cannot sign
     */
    static byte[] sign(byte[] content, Identity signer) throws GeneralSecurityException {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            X509Certificate cert = signer.signingCertificate();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(jdkDigests())
                    .build(contentSigner(signer.suite(), signer.signingKey()), cert));
            gen.addCertificate(new JcaX509CertificateHolder(cert));
            return gen.generate(new CMSProcessableByteArray(content), true)
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | OperatorCreationException | CertificateEncodingException | IOException e) {
            throw new GeneralSecurityException("signing failed", e);
        }
    }

    /** @return digest calculators from the JDK's providers (SHA-NI, several times faster than Bouncy Castle's) */
    static DigestCalculatorProvider jdkDigests() throws OperatorCreationException {
        return new JcaDigestCalculatorProviderBuilder().build();
    }

    private static ContentSigner contentSigner(Suite suite, PrivateKey key) throws OperatorCreationException {
        if (suite == Suite.RSA) {
            return JdkPss.signer(key, PSS_SHA256);
        }
        return new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bc()).setSecureRandom(Providers.RANDOM).build(key);
    }
}
