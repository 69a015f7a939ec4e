package dev.sealpost.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An identity on disk, in one directory of four PEM files:
 *
 * <pre>
 * sig-key.pem   signing private key, encrypted PKCS#8 (PBES2, see below), mode 0600
 * enc-key.pem   encryption private key, encrypted PKCS#8, mode 0600
 * sig-cert.pem  signing certificate, mode 0644
 * enc-cert.pem  encryption certificate, mode 0644
 * </pre>
 *
 * <p>Keys are encrypted with PBES2 (RFC 8018 §6.2): PBKDF2-HMAC-SHA256, 600,000 iterations,
 * AES-256-CBC, so {@code openssl pkey -in sig-key.pem} reads them. Files are created atomically
 * (temporary file, fsync, hard link, directory fsync) and existing files are never replaced.
 * Needs a POSIX file system.
 */
public final class IdentityFiles {
    private IdentityFiles() {}

    /** File name of the encrypted signing key. */
    public static final String SIGNING_KEY = "sig-key.pem";
    /** File name of the encrypted encryption key. */
    public static final String ENCRYPTION_KEY = "enc-key.pem";
    /** File name of the signing certificate. */
    public static final String SIGNING_CERT = "sig-cert.pem";
    /** File name of the encryption certificate. */
    public static final String ENCRYPTION_CERT = "enc-cert.pem";

    private static final List<String> FILES = List.of(SIGNING_KEY, ENCRYPTION_KEY, SIGNING_CERT, ENCRYPTION_CERT);

    /**
     * @param dir an identity directory
     * @return true if any of the four identity files exists there (a complete or a damaged
     *     identity; either way {@link #write} would refuse)
     */
    public static boolean exists(Path dir) {
        return FILES.stream().anyMatch(f -> Files.exists(dir.resolve(f), LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Writes an identity. Creates {@code dir} (mode 0700) and missing parents if needed; an
     * existing directory keeps its mode. Takes about a second: each key costs 600,000 PBKDF2
     * iterations.
     *
     * @param dir the identity directory
     * @param id the identity to store
     * @param passphrase encrypts both private keys; entered into PBKDF2 as UTF-8; not retained.
     *     An empty passphrase is accepted and protects nothing; callers set the policy.
     * @throws FileAlreadyExistsException if any identity file already exists in {@code dir};
     *     nothing is written or changed then
     * @throws IOException if the files cannot be written; files this call created are removed
     */
    public static void write(Path dir, Identity id, char[] passphrase) throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(passphrase, "passphrase");
        refuseExisting(dir);
        byte[] sigKey;
        byte[] encKey;
        try {
            sigKey = EncryptedKeyPem.encrypt(id.signingKey(), passphrase);
            encKey = EncryptedKeyPem.encrypt(id.encryptionKey(), passphrase);
        } catch (KeyUnlockException e) {
            throw new IOException("cannot store " + id.name() + ": " + e.getMessage(), e);
        }
        byte[] sigCert = Pem.encodeCertificate(id.signingCertificate()).getBytes(StandardCharsets.US_ASCII);
        byte[] encCert = Pem.encodeCertificate(id.encryptionCertificate()).getBytes(StandardCharsets.US_ASCII);
        AtomicFiles.createPrivateDirectory(dir);
        refuseExisting(dir);
        List<Path> created = new ArrayList<>();
        try {
            create(dir.resolve(SIGNING_KEY), sigKey, AtomicFiles.OWNER_ONLY, created);
            create(dir.resolve(ENCRYPTION_KEY), encKey, AtomicFiles.OWNER_ONLY, created);
            create(dir.resolve(SIGNING_CERT), sigCert, AtomicFiles.PUBLIC_READ, created);
            create(dir.resolve(ENCRYPTION_CERT), encCert, AtomicFiles.PUBLIC_READ, created);
        } catch (IOException | RuntimeException e) {
            for (Path p : created) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Replaces the identity's two certificates (after {@link Identity#recertified}); the keys
     * stay as they are. Each file is replaced atomically, the encryption certificate first.
     *
     * @throws IOException if {@code dir} holds no identity or a file cannot be written
     */
    public static void replaceCertificates(Path dir, Identity id) throws IOException {
        if (!exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no identity here");
        }
        AtomicFiles.replace(dir.resolve(ENCRYPTION_CERT),
                Pem.encodeCertificate(id.encryptionCertificate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
        AtomicFiles.replace(dir.resolve(SIGNING_CERT),
                Pem.encodeCertificate(id.signingCertificate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
    }

    /** The device's TLS client key (unencrypted PKCS#8, 0600) and its certificate chain. */
    public static final String DEVICE_KEY = "tls-key.pem";
    public static final String DEVICE_CHAIN = "tls-chain.pem";

    /**
     * Stores a device key for TLS client authentication beside the identity. The key is not
     * encrypted: every connection to a relay that requires client certificates needs it without
     * a prompt, as it needs the session token, which is kept the same way (0600). It only opens
     * TLS connections; it signs and decrypts nothing.
     */
    public static void writeDeviceKey(Path dir, Identity.DeviceKey device) throws IOException {
        String key = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(device.key().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        StringBuilder chain = new StringBuilder();
        device.chain().forEach(c -> chain.append(Pem.encodeCertificate(c)));
        AtomicFiles.replace(dir.resolve(DEVICE_KEY), key.getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
        AtomicFiles.replace(dir.resolve(DEVICE_CHAIN), chain.toString().getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
    }

    /**
     * @return the device key stored by {@link #writeDeviceKey}, if there is one
     * @throws IOException if its files are damaged
     */
    public static java.util.Optional<Identity.DeviceKey> readDeviceKey(Path dir) throws IOException {
        Path keyFile = dir.resolve(DEVICE_KEY);
        if (!Files.exists(keyFile)) {
            return java.util.Optional.empty();
        }
        try {
            byte[] der = Pem.decode(Files.readString(keyFile, StandardCharsets.US_ASCII), "PRIVATE KEY");
            java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
            List<X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(Files.newInputStream(dir.resolve(DEVICE_CHAIN)))) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IOException("no certificate in " + dir.resolve(DEVICE_CHAIN));
            }
            return java.util.Optional.of(new Identity.DeviceKey(key, chain));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(keyFile + " is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the certificates of an identity; no passphrase needed.
     *
     * @param dir the identity directory
     * @return the public identity; its name is the signing certificate's subject CN
     * @throws NoSuchFileException if a certificate file is missing
     * @throws IOException if a certificate is malformed (the message names the file) or the two do
     *     not qualify as an identity, for example an encryption certificate not issued by the
     *     signing certificate (see {@link PublicIdentity#of}; the message names the directory)
     */
    public static PublicIdentity readPublic(Path dir) throws IOException {
        X509Certificate sig = readCertificate(dir.resolve(SIGNING_CERT));
        X509Certificate enc = readCertificate(dir.resolve(ENCRYPTION_CERT));
        try {
            return PublicIdentity.of(Certificates.commonName(sig), sig, enc);
        } catch (CertificateException e) {
            throw new IOException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and decrypts an identity: both private keys are decrypted (at once, on two threads)
     * before this returns. Never modifies, creates or deletes a file.
     *
     * @param dir the identity directory
     * @param passphrase the passphrase given to {@link #write}; not retained
     * @return the identity
     * @throws WrongPassphraseException if a key does not decrypt with {@code passphrase}
     * @throws NoSuchFileException if a file is missing
     * @throws IOException if a file is malformed, the certificates do not qualify (see
     *     {@link PublicIdentity#of}; for example an encryption certificate not issued by the
     *     signing certificate), a key does not match its certificate, or the two keys are of
     *     different suites; the message names the file or directory
     */
    public static Identity read(Path dir, char[] passphrase) throws IOException, WrongPassphraseException {
        Identity id = open(dir, passphrase).prepareKeys(true, false);
        try {
            id.encryptionKey();
            id.signingKey();
        } catch (WrongPassphraseException e) {
            throw e;
        } catch (KeyUnlockException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return id;
    }

    /**
     * Opens an identity without decrypting its private keys yet: each is decrypted when first
     * used, or ahead of that on a background thread after {@link Identity#prepareKeys}. A
     * command that needs one key (the signing key to seal or send, the encryption key to open
     * or receive) pays for that one only, and can overlap its PBKDF2 work with work that needs
     * no key. A wrong passphrase then surfaces as a {@link WrongPassphraseException} from the
     * operation that uses the key, or early through {@link Identity#keyFailure}.
     *
     * <p>The certificates and both key files are read here, so a missing or unreadable file
     * fails at once. The identity keeps a copy of {@code passphrase} until both keys are
     * decrypted (or have failed to); the caller may clear its own array when this returns.
     *
     * @param dir the identity directory
     * @param passphrase the passphrase given to {@link #write}
     * @return the identity, keys not yet decrypted
     * @throws NoSuchFileException if a file is missing
     * @throws IOException if a certificate is malformed, the certificates do not qualify (see
     *     {@link PublicIdentity#of}), or the two keys are of different suites; the message
     *     names the file or directory
     */
    public static Identity open(Path dir, char[] passphrase) throws IOException {
        Objects.requireNonNull(passphrase, "passphrase");
        PublicIdentity pub = readPublic(dir);
        Suite suite = Suite.of(pub.encryptionCertificate().getPublicKey());
        if (Suite.of(pub.signingCertificate().getPublicKey()) != suite) {
            throw new IOException(dir + ": the signing and encryption keys are of different kinds");
        }
        Path sigFile = dir.resolve(SIGNING_KEY);
        Path encFile = dir.resolve(ENCRYPTION_KEY);
        byte[] sigPem = Files.readAllBytes(sigFile);
        byte[] encPem = Files.readAllBytes(encFile);
        char[] copy = passphrase.clone();
        java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger(2);
        PrivateKeySlot sig = PrivateKeySlot.deferred(() -> unlockKey(sigFile, sigPem, copy, pending, pub.signingCertificate()));
        PrivateKeySlot enc = PrivateKeySlot.deferred(() -> unlockKey(encFile, encPem, copy, pending, pub.encryptionCertificate()));
        return new Identity(pub.name(), suite, sig, pub.signingCertificate(), enc, pub.encryptionCertificate());
    }

    /** Decrypts one key file; the last of the two to finish clears the passphrase copy. */
    private static PrivateKey unlockKey(Path file, byte[] pem, char[] passphrase,
                                        java.util.concurrent.atomic.AtomicInteger pending, X509Certificate cert)
            throws KeyUnlockException {
        try {
            PrivateKey key = EncryptedKeyPem.decrypt(pem, passphrase);
            if (!KeyPairCheck.matches(key, cert.getPublicKey())) {
                throw new KeyUnlockException(file + ": the key does not match its certificate",
                        new IOException(file + ": the key does not match its certificate"));
            }
            return key;
        } catch (WrongPassphraseException e) {
            throw e;
        } catch (IOException e) {
            IOException named = new IOException(file + ": " + e.getMessage(), e);
            throw new KeyUnlockException(named.getMessage(), named);
        } finally {
            if (pending.decrementAndGet() == 0) {
                java.util.Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static X509Certificate readCertificate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file); // NoSuchFileException passes through as such
        try {
            return Pem.decodeCertificate(bytes);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static void refuseExisting(Path dir) throws FileAlreadyExistsException {
        for (String f : FILES) {
            Path p = dir.resolve(f);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(p.toString(), null, "an identity already exists here");
            }
        }
    }

    private static void create(Path p, byte[] data, java.util.Set<java.nio.file.attribute.PosixFilePermission> mode,
                               List<Path> created) throws IOException {
        AtomicFiles.createNew(p, data, mode);
        created.add(p);
    }
}
