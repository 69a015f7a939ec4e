package dev.sealpost.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
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
        byte[] sigKey = EncryptedKeyPem.encrypt(id.signingKey(), passphrase);
        byte[] encKey = EncryptedKeyPem.encrypt(id.encryptionKey(), passphrase);
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
     * Reads and decrypts an identity. Never modifies, creates or deletes a file.
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
        Objects.requireNonNull(passphrase, "passphrase");
        PublicIdentity pub = readPublic(dir);
        // Each key's PBKDF2 (600,000 iterations) is one core's work: unlock the two at once.
        java.util.concurrent.FutureTask<PrivateKey> signing = new java.util.concurrent.FutureTask<>(
                () -> readKey(dir.resolve(SIGNING_KEY), passphrase, pub.signingCertificate()));
        Thread.ofPlatform().daemon().name("sealpost-unlock").start(signing);
        PrivateKey encKey;
        PrivateKey sigKey;
        try {
            encKey = readKey(dir.resolve(ENCRYPTION_KEY), passphrase, pub.encryptionCertificate());
        } finally {
            sigKey = awaitKey(signing);
        }
        Suite suite = Suite.of(pub.encryptionCertificate().getPublicKey());
        if (Suite.of(pub.signingCertificate().getPublicKey()) != suite) {
            throw new IOException(dir + ": the signing and encryption keys are of different kinds");
        }
        return new Identity(pub.name(), suite,
                new KeyPair(pub.signingCertificate().getPublicKey(), sigKey), pub.signingCertificate(),
                new KeyPair(pub.encryptionCertificate().getPublicKey(), encKey), pub.encryptionCertificate());
    }

    private static PrivateKey awaitKey(java.util.concurrent.FutureTask<PrivateKey> task)
            throws IOException, WrongPassphraseException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            switch (e.getCause()) {
                case WrongPassphraseException w -> throw w;
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static PrivateKey readKey(Path file, char[] passphrase, X509Certificate cert)
            throws IOException, WrongPassphraseException {
        byte[] pem = Files.readAllBytes(file);
        PrivateKey key;
        try {
            key = EncryptedKeyPem.decrypt(pem, passphrase);
        } catch (WrongPassphraseException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (!KeyPairCheck.matches(key, cert.getPublicKey())) {
            throw new IOException(file + ": the key does not match its certificate");
        }
        return key;
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
