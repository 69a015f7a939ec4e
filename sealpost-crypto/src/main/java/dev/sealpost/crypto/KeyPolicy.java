package dev.sealpost.crypto;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/**
 * Which certificates sealpost accepts for signing and for encryption: key usage (RFC 5280
 * §4.2.1.3) and key strength (RSA of 2048 to 16384 bits, or EC on NIST P-256).
 */
final class KeyPolicy {
    private KeyPolicy() {}

    // RFC 5280 §4.2.1.3 KeyUsage bit positions, as X509Certificate.getKeyUsage() indexes them.
    static final int DIGITAL_SIGNATURE = 0;
    static final int KEY_ENCIPHERMENT = 2;
    static final int KEY_AGREEMENT = 4;
    static final int KEY_CERT_SIGN = 5;

    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 16384;

    private static final ECParameterSpec P256 = p256();

    /**
     * @param cert a certificate offered for signing
     * @throws CertificateException if its key usage lacks digitalSignature or its key is weak
     */
    static void requireSigning(X509Certificate cert) throws CertificateException {
        requireStrongKey(cert.getPublicKey(), "signing");
        if (!hasUsage(cert, DIGITAL_SIGNATURE)) {
            throw new CertificateException("signing certificate does not allow digitalSignature (key usage)");
        }
    }

    /**
     * @param cert a certificate offered for encryption
     * @throws CertificateException if its key is weak, or an RSA key lacks keyEncipherment, or an
     *     EC key lacks keyAgreement
     */
    static void requireEncryption(X509Certificate cert) throws CertificateException {
        PublicKey key = cert.getPublicKey();
        requireStrongKey(key, "encryption");
        if (key instanceof RSAPublicKey && !hasUsage(cert, KEY_ENCIPHERMENT)) {
            throw new CertificateException("RSA encryption certificate does not allow keyEncipherment (key usage)");
        }
        if (key instanceof ECPublicKey && !hasUsage(cert, KEY_AGREEMENT)) {
            throw new CertificateException("EC encryption certificate does not allow keyAgreement (key usage)");
        }
    }

    /** @return true if the certificate carries a key usage extension with {@code bit} set */
    static boolean hasUsage(X509Certificate cert, int bit) {
        boolean[] usage = cert.getKeyUsage();
        return usage != null && usage.length > bit && usage[bit];
    }

    private static void requireStrongKey(PublicKey key, String role) throws CertificateException {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new CertificateException(role + " certificate has a " + bits + "-bit RSA key (2048 to 16384 bits accepted)");
            }
        } else if (key instanceof ECPublicKey ec) {
            if (!isP256(ec.getParams())) {
                throw new CertificateException(role + " certificate has an EC key not on P-256");
            }
        } else {
            throw new CertificateException(role + " certificate has an unsupported " + key.getAlgorithm() + " key (RSA or EC P-256 accepted)");
        }
    }

    static boolean isP256(ECParameterSpec p) {
        return p != null
                && p.getCurve().equals(P256.getCurve())
                && p.getGenerator().equals(P256.getGenerator())
                && p.getOrder().equals(P256.getOrder())
                && p.getCofactor() == P256.getCofactor();
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks the P-256 curve", e);
        }
    }
}
