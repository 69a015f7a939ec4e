package dev.sealpost.crypto;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
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
     * 2048 to 16384 bits or EC on NIST P-256. Validity dates and signatures on the certificates
     * are not checked here: trust is decided by pinning or by a CA chain elsewhere.
     *
     * @param name the person's name
     * @param sig the signing certificate
     * @param enc the encryption certificate
     * @return the public identity
     * @throws CertificateException with a one-line reason if a certificate does not qualify
     * @throws NullPointerException if any argument is null
     */
    public static PublicIdentity of(String name, X509Certificate sig, X509Certificate enc) throws CertificateException {
        PublicIdentity id = new PublicIdentity(name, sig, enc);
        KeyPolicy.requireSigning(sig);
        KeyPolicy.requireEncryption(enc);
        return id;
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
