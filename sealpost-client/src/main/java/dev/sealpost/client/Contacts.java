package dev.sealpost.client;

import dev.sealpost.crypto.AtomicFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.OrganisationTrust;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.KeyBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pinned certificates of other people (contacts.json): trust on first use, and a loud
 * refusal when a contact's certificates change until the person re-verifies a fingerprint.
 *
 * <p>The first time a name is seen, its certificates from the relay's key directory are
 * pinned. From then on only those certificates are used to encrypt to that person and to
 * verify what they sign. A different certificate raises {@link KeyChangedException};
 * {@link #trust} replaces the pin once the user has compared the new fingerprint with the
 * person out of band.
 */
public final class Contacts {
    private static final ObjectMapper JSON = Json.mapper();

    private final SealpostHome home;
    private final TreeMap<String, Pin> entries;

    /** A stored pin. */
    record Pin(String name, String signingCertificate, String encryptionCertificate, Instant pinnedAt, boolean verified) {}

    /**
     * What a lookup found.
     *
     * @param identity    the pinned certificates
     * @param newlyPinned true if this call pinned them (first use, or new keys the organisation CA issued)
     * @param issuer      the organisation CA that vouched for them, or null when pinned on first use
     */
    public record Pinned(PublicIdentity identity, boolean newlyPinned, String issuer) {
        /** Pinned on first use, or checked against the pin. */
        public Pinned(PublicIdentity identity, boolean newlyPinned) {
            this(identity, newlyPinned, null);
        }
    }

    /**
     * The user trusts an organisation CA ({@code sealpost ca trust}) and the relay offers
     * certificates for a contact that it did not issue for that name, or revoked: refused
     * loudly, nothing pinned or changed.
     */
    public static final class NotFromOrganisationCaException extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;

        NotFromOrganisationCaException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Folder of the organisation trust anchor in {@code $SEALPOST_HOME}: {@value #CA_FILE} and, if any, {@value #CRL_FILE}. */
    public static final String TRUST_DIR = "trust";
    public static final String CA_FILE = "ca.pem";
    public static final String CRL_FILE = "crl.pem";

    /**
     * @return the organisation CA this home trusts ({@code sealpost ca trust}), if any
     * @throws IOException if its files are damaged
     */
    public static Optional<OrganisationTrust> organisationTrust(SealpostHome home) throws IOException {
        Path dir = home.root().resolve(TRUST_DIR);
        if (!Files.exists(dir.resolve(CA_FILE))) {
            return Optional.empty();
        }
        Path crl = dir.resolve(CRL_FILE);
        return Optional.of(OrganisationTrust.load(dir.resolve(CA_FILE), Files.exists(crl) ? crl : null, Clock.systemUTC()));
    }

    /** The relay offers certificates for a contact that differ from the pinned ones. */
    public static final class KeyChangedException extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final transient Fingerprint offered;

        KeyChangedException(String name, Fingerprint offered, String message) {
            super(message);
            this.name = name;
            this.offered = offered;
        }

        /** @return the contact whose keys changed */
        public String name() {
            return name;
        }

        /** @return the signing fingerprint the relay offers now: what the user must compare with the contact */
        public Fingerprint offered() {
            return offered;
        }
    }

    private Contacts(SealpostHome home, TreeMap<String, Pin> entries) {
        this.home = home;
        this.entries = entries;
    }

    /**
     * @return the contacts of {@code home} (none if contacts.json does not exist)
     * @throws IOException if contacts.json is damaged
     */
    public static Contacts load(SealpostHome home) throws IOException {
        return new Contacts(home, read(home));
    }

    private static TreeMap<String, Pin> read(SealpostHome home) throws IOException {
        try {
            List<Pin> list = JSON.readValue(Files.readAllBytes(home.contactsFile()), new TypeReference<List<Pin>>() {});
            TreeMap<String, Pin> map = new TreeMap<>();
            list.forEach(e -> map.put(e.name(), e));
            return map;
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw new IOException(home.contactsFile() + " is damaged: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Runs {@code change} on the current file content while holding an exclusive lock, so that
     * two sealpost processes (say a running {@code watch} and a {@code contacts trust}) never
     * write back a stale copy and drop or roll back each other's pins. A file lock is held by
     * the whole process, and a second {@code lock()} from another thread of it throws
     * {@link java.nio.channels.OverlappingFileLockException}; so threads of one process (the web
     * UI opens mail on several) first take turns on {@link #IN_PROCESS}.
     */
    private <T> T locked(PinChange<T> change) throws IOException, KeyChangedException {
        Files.createDirectories(home.root());
        IN_PROCESS.lock();
        try (FileChannel lock = FileChannel.open(home.root().resolve("contacts.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lock.lock()) {
            entries.clear();
            entries.putAll(read(home));
            return change.apply();
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** Serialises {@link #locked} among this process's threads, for every home (changes are rare and short). */
    private static final java.util.concurrent.locks.ReentrantLock IN_PROCESS = new java.util.concurrent.locks.ReentrantLock();

    @FunctionalInterface
    private interface PinChange<T> {
        T apply() throws IOException, KeyChangedException;
    }

    /** @return the pinned identity of {@code name}, if any */
    public Optional<PublicIdentity> get(String name) throws IOException {
        Pin e = entries.get(name);
        return e == null ? Optional.empty() : Optional.of(identity(e.name(), e.signingCertificate(), e.encryptionCertificate()));
    }

    /** @return all pinned names, sorted */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** @return true if the user confirmed this contact's fingerprint with {@link #trust} */
    public boolean isVerified(String name) {
        Pin e = entries.get(name);
        return e != null && e.verified();
    }

    /**
     * Pins {@code bundle} on first use, or checks it against the pin.
     *
     * @param bundle what the relay's key directory returned
     * @return the pinned identity, marked new if this call pinned it
     * @throws KeyChangedException if a pin exists and the bundle differs from it (no organisation CA)
     * @throws NotFromOrganisationCaException if the user trusts an organisation CA and it did not
     *                                        issue the bundle's certificates for its name
     * @throws IOException if the bundle's certificates are malformed or unusable
     */
    public Pinned pinOrCheck(KeyBundle bundle) throws IOException, GeneralSecurityException {
        Optional<OrganisationTrust> trust = organisationTrust(home);
        if (trust.isPresent()) {
            return pinIssued(bundle, trust.get());
        }
        return locked(() -> pinOrCheckLocked(bundle));
    }

    /**
     * With an organisation CA: the offered certificates are accepted when the CA issued them for
     * the name (PKIX), and pinned as checked, replacing an older pin (new keys the CA issued);
     * anything else is refused whatever is pinned.
     */
    private Pinned pinIssued(KeyBundle bundle, OrganisationTrust trust) throws IOException, GeneralSecurityException {
        PublicIdentity offered;
        try {
            offered = trust.check(bundle.name(), Pem.decodeCertificate(bundle.signingCertificate()),
                    Pem.decodeCertificate(bundle.encryptionCertificate()));
        } catch (java.security.cert.CertificateException e) {
            throw new NotFromOrganisationCaException("refused the certificates offered for " + bundle.name() + ": " + e.getMessage()
                    + " (you trust an organisation CA: sealpost ca trust)", e);
        }
        String issuer = trust.anchor().getSubjectX500Principal().getName();
        return locked(() -> {
            Optional<PublicIdentity> pinned = get(bundle.name());
            if (pinned.isPresent() && pinned.get().signingFingerprint().equals(offered.signingFingerprint())
                    && pinned.get().encryptionFingerprint().equals(offered.encryptionFingerprint())) {
                return new Pinned(pinned.get(), false, issuer);
            }
            put(offered, true);
            return new Pinned(offered, true, issuer);
        });
    }

    private Pinned pinOrCheckLocked(KeyBundle bundle) throws IOException, KeyChangedException {
        PublicIdentity offered = identity(bundle.name(), bundle.signingCertificate(), bundle.encryptionCertificate());
        Optional<PublicIdentity> pinned = get(bundle.name());
        if (pinned.isEmpty()) {
            put(offered, false);
            return new Pinned(offered, true);
        }
        PublicIdentity p = pinned.get();
        if (!p.signingFingerprint().equals(offered.signingFingerprint())
                || !p.encryptionFingerprint().equals(offered.encryptionFingerprint())) {
            throw new KeyChangedException(bundle.name(), offered.signingFingerprint(), "the certificates offered for " + bundle.name() + " changed (signing "
                    + offered.signingFingerprint() + ", pinned " + p.signingFingerprint() + "); if " + bundle.name()
                    + " really has new keys, compare the fingerprint with them and run: sealpost contacts trust "
                    + bundle.name() + " --fingerprint " + offered.signingFingerprint());
        }
        return new Pinned(p, false);
    }

    /**
     * Replaces (or creates) the pin of {@code bundle.name()} after the user compared the
     * signing fingerprint out of band.
     *
     * @param bundle   the certificates the relay offers now
     * @param expected the signing fingerprint the user verified
     * @return the newly pinned identity
     * @throws KeyChangedException if {@code expected} is not the bundle's signing fingerprint
     */
    public PublicIdentity trust(KeyBundle bundle, Fingerprint expected) throws IOException, KeyChangedException {
        return locked(() -> trustLocked(bundle, expected));
    }

    private PublicIdentity trustLocked(KeyBundle bundle, Fingerprint expected) throws IOException, KeyChangedException {
        PublicIdentity offered = identity(bundle.name(), bundle.signingCertificate(), bundle.encryptionCertificate());
        if (!offered.signingFingerprint().equals(expected)) {
            throw new KeyChangedException(bundle.name(), offered.signingFingerprint(), "the relay offers " + offered.signingFingerprint() + " for " + bundle.name()
                    + ", not " + expected + "; nothing changed");
        }
        put(offered, true);
        return offered;
    }

    private void put(PublicIdentity id, boolean verified) throws IOException {
        entries.put(id.name(), new Pin(id.name(), Pem.encodeCertificate(id.signingCertificate()),
                Pem.encodeCertificate(id.encryptionCertificate()), Instant.now(), verified));
        AtomicFiles.replace(home.contactsFile(),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(List.copyOf(entries.values())), AtomicFiles.OWNER_ONLY);
    }

    private static PublicIdentity identity(String name, String sigPem, String encPem) throws IOException {
        try {
            return PublicIdentity.of(name, Pem.decodeCertificate(sigPem), Pem.decodeCertificate(encPem));
        } catch (CertificateException e) {
            throw new IOException("unusable certificates for " + name + ": " + e.getMessage(), e);
        }
    }
}
