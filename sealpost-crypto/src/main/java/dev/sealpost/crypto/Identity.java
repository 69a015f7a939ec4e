package dev.sealpost.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A person's identity: a signing key pair and a separate encryption key pair, each with an
 * X.509 v3 certificate (RFC 5280) whose subject is {@code CN=<name>}. The signing certificate is
 * self-signed and issues the encryption certificate (see {@link Certificates}), so the signing
 * certificate's fingerprint identifies the whole identity.
 *
 * <p>Separate keys for signing and encryption follow RFC 8551 §2.5.1 practice and let each
 * certificate state one purpose in its key usage. The private keys never leave this package:
 * they are reachable only through {@link Smime} and {@link IdentityFiles}. {@link #toString()}
 * shows the name and fingerprints only. An identity opened with {@link IdentityFiles#open}
 * decrypts its private keys when they are first used (or ahead, see {@link #prepareKeys}), so a
 * wrong passphrase can surface as a {@link KeyUnlockException} from the operation that needs the
 * key.
 */
public final class Identity {
    /** RSA modulus size used when none is given, in bits. */
    public static final int DEFAULT_RSA_BITS = 3072;

    private static final int MAX_NAME_CHARS = 64; // ub-common-name, RFC 5280 Appendix A.1

    private final String name;
    private final Suite suite;
    private final PrivateKeySlot signing;
    private final PrivateKeySlot encryption;
    private final X509Certificate signingCertificate;
    private final X509Certificate encryptionCertificate;

    Identity(String name, Suite suite, KeyPair signing, X509Certificate signingCertificate,
             KeyPair encryption, X509Certificate encryptionCertificate) {
        this(name, suite, PrivateKeySlot.of(signing.getPrivate()), signingCertificate,
                PrivateKeySlot.of(encryption.getPrivate()), encryptionCertificate);
    }

    Identity(String name, Suite suite, PrivateKeySlot signing, X509Certificate signingCertificate,
             PrivateKeySlot encryption, X509Certificate encryptionCertificate) {
        this.name = Objects.requireNonNull(name, "name");
        this.suite = Objects.requireNonNull(suite, "suite");
        this.signing = Objects.requireNonNull(signing, "signing");
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        this.signingCertificate = Objects.requireNonNull(signingCertificate, "signingCertificate");
        this.encryptionCertificate = Objects.requireNonNull(encryptionCertificate, "encryptionCertificate");
    }

    /**
     * Generates two fresh key pairs and their certificates. RSA key generation takes from a
     * fraction of a second (2048) to several seconds (4096).
     *
     * @param name the person's name: 1 to 64 characters, no control characters; becomes the CN
     * @param suite the key algorithms
     * @param rsaBits RSA modulus size in bits, 2048, 3072 or 4096; ignored for {@link Suite#P256}
     * @return the new identity
     * @throws IllegalArgumentException if the name or the RSA size is not acceptable
     */
    public static Identity generate(String name, Suite suite, int rsaBits) {
        return generate(name, suite, rsaBits, Clock.systemUTC());
    }

    /**
     * Generates an identity with {@value #DEFAULT_RSA_BITS}-bit RSA keys for {@link Suite#RSA}.
     *
     * @param name the person's name: 1 to 64 characters, no control characters; becomes the CN
     * @param suite the key algorithms
     * @return the new identity
     * @throws IllegalArgumentException if the name is not acceptable
     * @see #generate(String, Suite, int)
     */
    public static Identity generate(String name, Suite suite) {
        return generate(name, suite, DEFAULT_RSA_BITS);
    }

    static Identity generate(String name, Suite suite, int rsaBits, Clock clock) {
        checkName(name);
        Objects.requireNonNull(suite, "suite");
        if (suite == Suite.RSA && rsaBits != 2048 && rsaBits != 3072 && rsaBits != 4096) {
            throw new IllegalArgumentException("RSA key size must be 2048, 3072 or 4096 bits, not " + rsaBits);
        }
        KeyPair sig = newKeyPair(suite, rsaBits);
        KeyPair enc = newKeyPair(suite, rsaBits);
        int encUsage = suite == Suite.RSA ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        X509Certificate sigCert = Certificates.signing(name, sig, clock);
        X509Certificate encCert = Certificates.encryption(enc.getPublic(), encUsage, sigCert, sig.getPrivate());
        return new Identity(name, suite, sig, sigCert, enc, encCert);
    }

    /** @return the person's name, the CN of both certificates */
    public String name() {
        return name;
    }

    /** @return the key algorithms */
    public Suite suite() {
        return suite;
    }

    /**
     * @return the self-signed certificate of the signing key (key usage digitalSignature,
     *     nonRepudiation, keyCertSign; CA with pathLenConstraint 0), issuer of the encryption certificate
     */
    public X509Certificate signingCertificate() {
        return signingCertificate;
    }

    /**
     * @return the certificate of the encryption key (keyEncipherment for RSA, keyAgreement for
     *     EC), issued by the signing certificate
     */
    public X509Certificate encryptionCertificate() {
        return encryptionCertificate;
    }

    /** @return the name and both certificates, without private keys */
    public PublicIdentity publicIdentity() {
        return new PublicIdentity(name, signingCertificate, encryptionCertificate);
    }

    /**
     * Starts decrypting the private keys a command is about to need on background threads, so
     * that their PBKDF2 work overlaps with work that needs none (reading and encrypting a large
     * file, connecting to a relay). Does nothing for keys already at hand or being decrypted;
     * keys not named here are decrypted when first used.
     *
     * @param signingKey start with the signing key (to seal or send)
     * @param encryptionKey start with the encryption key (to open or receive)
     * @return this identity
     */
    public Identity prepareKeys(boolean signingKey, boolean encryptionKey) {
        if (signingKey) {
            signing.startInBackground("sealpost-unlock-signing");
        }
        if (encryptionKey) {
            encryption.startInBackground("sealpost-unlock-encryption");
        }
        return this;
    }

    /**
     * A key that failed to decrypt in the background, known without waiting: lets a long
     * operation stop early instead of finding out at its end.
     *
     * @return the first failure of a key decryption that has finished, if any
     */
    public Optional<KeyUnlockException> keyFailure() {
        Optional<KeyUnlockException> f = signing.failure();
        return f.isPresent() ? f : encryption.failure();
    }

    PrivateKey signingKey() throws KeyUnlockException {
        return signing.get();
    }

    /**
     * A PKCS#10 certification request (RFC 2986) for the signing key, subject {@code CN=name},
     * signed with that key (sha256WithRSAEncryption or ecdsa-with-SHA256), for an organisation
     * CA to issue the signing certificate ({@link OrganisationCa#sign}).
     *
     * @return the request, PEM ({@code -----BEGIN CERTIFICATE REQUEST-----})
     * @throws KeyUnlockException if the signing key did not decrypt
     */
    public String signingRequest() throws KeyUnlockException {
        try {
            PrivateKey key = signingKey();
            org.bouncycastle.pkcs.PKCS10CertificationRequest csr = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                    Certificates.subjectOf(name), signingCertificate.getPublicKey())
                    .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                            key instanceof java.security.interfaces.RSAKey ? "SHA256withRSA" : "SHA256withECDSA")
                            .setProvider(Providers.bc()).build(key));
            return Pem.encode("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (org.bouncycastle.operator.OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a certification request", e);
        }
    }

    /**
     * A device key for TLS client authentication (mutual TLS with a relay that requires it): a
     * new P-256 key pair and its certificate, issued by this identity's signing certificate
     * (EKU clientAuth, CA:FALSE). The signing key itself never goes into a TLS handshake.
     *
     * @return the key and its chain (device certificate, then the signing certificate)
     * @throws KeyUnlockException if the signing key did not decrypt
     */
    public DeviceKey issueDeviceKey() throws KeyUnlockException {
        KeyPair device = newKeyPair(Suite.P256, 0);
        X509Certificate cert = Certificates.device(device.getPublic(), signingCertificate, signingKey());
        return new DeviceKey(device.getPrivate(), List.of(cert, signingCertificate));
    }

    /**
     * A TLS client key and its certificate chain.
     *
     * @param key   the private key
     * @param chain the device certificate first, then its issuers
     */
    public record DeviceKey(PrivateKey key, List<X509Certificate> chain) {
        public DeviceKey {
            chain = List.copyOf(chain);
        }

        @Override
        public String toString() {
            return "DeviceKey[" + Fingerprint.of(chain.getFirst()) + "]";
        }
    }

    /**
     * This identity with a signing certificate an organisation CA issued for its signing key,
     * and a new encryption certificate issued under it (same key, same validity as the new
     * signing certificate), so that both chain to the CA.
     *
     * @param issued the CA-issued signing certificate
     * @return the re-certified identity (the keys are the same)
     * @throws IllegalArgumentException if {@code issued} is not for this signing key, or its subject is not {@code CN=name}
     * @throws KeyUnlockException if the signing key did not decrypt
     */
    public Identity recertified(X509Certificate issued) throws KeyUnlockException {
        if (!issued.getPublicKey().equals(signingCertificate.getPublicKey())) {
            throw new IllegalArgumentException("that certificate is not for this identity's signing key");
        }
        try {
            if (!name.equals(Certificates.commonName(issued))) {
                throw new IllegalArgumentException("that certificate names " + Certificates.commonName(issued) + ", not " + name);
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        int encUsage = suite == Suite.RSA ? org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment
                : org.bouncycastle.asn1.x509.KeyUsage.keyAgreement;
        X509Certificate enc = Certificates.encryption(encryptionCertificate.getPublicKey(), encUsage, issued, signingKey());
        return new Identity(name, suite, signing, issued, encryption, enc);
    }

    PrivateKey encryptionKey() throws KeyUnlockException {
        return encryption.get();
    }

    /** @return name, suite and the signing certificate's fingerprint; never key material */
    @Override
    public String toString() {
        return "Identity[name=" + name + ", suite=" + suite.id() + ", signing=" + Fingerprint.of(signingCertificate) + "]";
    }

    static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a name is required");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("a name has at most " + MAX_NAME_CHARS + " characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl) || !name.equals(name.strip())) {
            throw new IllegalArgumentException("a name has no control characters and no leading or trailing blanks");
        }
    }

    /** @return a new key pair: RSA of {@code rsaBits} (F4 exponent) or P-256 */
    static KeyPair newKeyPair(Suite suite, int rsaBits) {
        try {
            if (suite == Suite.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(rsaBits, RSAKeyGenParameterSpec.F4), Providers.RANDOM);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), Providers.RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + suite.id() + " keys", e);
        }
    }
}
