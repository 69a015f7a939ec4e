package dev.sealpost.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Date;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed X.509 v3 end-entity certificates (RFC 5280) for one key pair of an identity.
 *
 * <p>Subject and issuer {@code CN=<name>}; a random positive 128-bit serial number; validity from
 * one hour ago (clock skew) to five years ahead; subject and authority key identifiers (the same
 * value, so OpenSSL recognises the certificate as self-signed); critical key usage; extended
 * key usage emailProtection (RFC 8550 §4.4.4); critical basicConstraints CA:FALSE.
 *
 * <p>Certificates are signed with sha256WithRSAEncryption or ecdsa-with-SHA256. The message
 * signatures use RSASSA-PSS, but a PSS-signed certificate over an rsaEncryption key is not
 * recognised as self-signed by OpenSSL 3.0's chain builder, so the certificate itself uses
 * PKCS#1 v1.5, which every verifier accepts.
 */
final class Certificates {
    private Certificates() {}

    static final Duration BACKDATE = Duration.ofHours(1);
    static final int VALID_YEARS = 5;

    /**
     * @param name the person's name, becomes the subject CN (1 to 64 characters)
     * @param keys the key pair to certify; it also signs the certificate
     * @param usage KeyUsage bits ({@link KeyUsage#digitalSignature} and so on)
     * @param clock source of the validity period
     * @return the certificate
     */
    static X509Certificate selfSigned(String name, KeyPair keys, int usage, Clock clock) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
        BigInteger serial;
        do {
            serial = new BigInteger(128, Providers.RANDOM);
        } while (serial.signum() == 0);
        Instant now = clock.instant();
        Date notBefore = Date.from(now.minus(BACKDATE));
        Date notAfter = Date.from(ZonedDateTime.ofInstant(now, clock.getZone()).plusYears(VALID_YEARS).toInstant());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial, notBefore, notAfter, subject, keys.getPublic())
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            String alg = keys.getPublic() instanceof RSAPublicKey ? "SHA256withRSA" : "SHA256withECDSA";
            ContentSigner signer = new JcaContentSignerBuilder(alg).setProvider(Providers.bc()).build(keys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (CertIOException | NoSuchAlgorithmException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot create a certificate", e);
        }
    }

    /**
     * @param cert any certificate
     * @return the first CN of its subject
     * @throws IOException if the subject has no CN
     */
    static String commonName(X509Certificate cert) throws IOException {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        if (cns.length == 0 || !(cns[0].getFirst().getValue() instanceof ASN1String s)) {
            throw new IOException("the certificate subject has no common name (CN)");
        }
        return s.getString();
    }
}
