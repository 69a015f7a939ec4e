package dev.sealpost.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

/**
 * The public half of an {@link Identity}: what a person publishes and what others pin.
 *
 * <p>Build instances from untrusted input with {@link #of}, which checks the certificates; the
 * canonical constructor only rejects nulls. Equality is by name and certificate encodings.
 *
 * @param name the person's name
 * @param signingCertificate verifies the person's signatures
 * @param encryptionCertificate what messages to the person are encrypted to
 */
public record PublicIdentity(String name, X509Certificate signingCertificate, X509Certificate encryptionCertificate) {

    /** @throws NullPointerException if any component is null */
    public PublicIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signingCertificate, "signingCertificate");
        Objects.requireNonNull(encryptionCertificate, "encryptionCertificate");
    }

    /**
     * Checks and pairs a person's certificates.
     *
     * <p>The signing certificate must allow digitalSignature; the encryption certificate must
     * allow keyEncipherment (RSA) or keyAgreement (EC) (RFC 5280 §4.2.1.3). Keys must be RSA of
     * 2048 to 16384 bits or EC on NIST P-256.
     *
     * <p>The signing certificate must vouch for the encryption certificate: it may issue
     * certificates (basicConstraints cA, RFC 5280 §4.2.1.9, and key usage keyCertSign,
     * §4.2.1.3; both are required before its key may verify a certificate signature), and the
     * encryption certificate's issuer is its subject and the encryption certificate's signature
     * verifies under its key. The two certificates certify different keys, and {@code name} is
     * the subject CN of both. Contacts are pinned, and re-trusted after a key change, by
     * {@link #signingFingerprint()} alone; this binding makes that fingerprint identify the
     * whole identity, so whoever serves the certificates (a relay) cannot pair a genuine
     * signing certificate with an encryption key of its own.
     *
     * <p>The signing certificate is self-signed, or issued by an organisation CA
     * ({@link OrganisationCa}); who issued it is not checked here: trust is decided by pinning,
     * or by PKIX path validation to a trust anchor, elsewhere. Nor are validity dates.
     *
     * @param name the person's name
     * @param sig the signing certificate
     * @param enc the encryption certificate
     * @return the public identity
     * @throws CertificateException with a one-line reason if a certificate does not qualify,
     *     for example "encryption certificate is not issued by the signing certificate"
     * @throws NullPointerException if any argument is null
     */
    public static PublicIdentity of(String name, X509Certificate sig, X509Certificate enc) throws CertificateException {
        PublicIdentity id = new PublicIdentity(name, sig, enc);
        KeyPolicy.requireSigning(sig);
        KeyPolicy.requireEncryption(enc);
        if (sig.getBasicConstraints() < 0 || !KeyPolicy.hasUsage(sig, KeyPolicy.KEY_CERT_SIGN)) {
            throw new CertificateException("signing certificate may not issue certificates (basicConstraints cA and keyCertSign required)");
        }
        if (!enc.getIssuerX500Principal().equals(sig.getSubjectX500Principal()) || !signedBy(enc, sig)) {
            throw new CertificateException("encryption certificate is not issued by the signing certificate");
        }
        if (Arrays.equals(sig.getPublicKey().getEncoded(), enc.getPublicKey().getEncoded())) {
            throw new CertificateException("encryption certificate certifies the signing key; separate keys are required");
        }
        if (!name.equals(commonName(sig)) || !name.equals(commonName(enc))) {
            throw new CertificateException("certificate common name (CN) does not match the name of the identity");
        }
        return id;
    }

    /** @return true if {@code cert}'s signature verifies under {@code issuer}'s public key */
    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String commonName(X509Certificate cert) throws CertificateException {
        try {
            return Certificates.commonName(cert);
        } catch (IOException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    /** @return SHA-256 of the signing certificate's DER encoding */
    public Fingerprint signingFingerprint() {
        return Fingerprint.of(signingCertificate);
    }

    /** @return SHA-256 of the encryption certificate's DER encoding */
    public Fingerprint encryptionFingerprint() {
        return Fingerprint.of(encryptionCertificate);
    }

    /**
     * @return the suite of the encryption key
     * @throws IllegalArgumentException if the key is neither RSA nor EC
     */
    public Suite suite() {
        return Suite.of(encryptionCertificate.getPublicKey());
    }

    /** @return the name and both fingerprints */
    @Override
    public String toString() {
        return "PublicIdentity[name=" + name + ", signing=" + signingFingerprint() + ", encryption=" + encryptionFingerprint() + "]";
    }
}
