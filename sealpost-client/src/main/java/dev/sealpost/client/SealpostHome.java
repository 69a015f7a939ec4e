package dev.sealpost.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The folder that holds one person's sealpost state, {@code $SEALPOST_HOME} or
 * {@code ~/.sealpost}:
 * <pre>
 * identity/        the key pairs and certificates (IdentityFiles)
 * relay.json       the relay's URL, its pinned TLS fingerprint and the account name
 * session.json     the current bearer token and its expiry (mode 0600)
 * contacts.json    pinned certificates of other people
 * received.log     Message-IDs already received (replay detection)
 * </pre>
 *
 * @param root the folder
 */
public record SealpostHome(Path root) {

    /**
     * @param env the process environment (or a test's)
     * @return {@code $SEALPOST_HOME} if set, else {@code ~/.sealpost}
     */
    public static SealpostHome from(Map<String, String> env) {
        String configured = env.get("SEALPOST_HOME");
        if (configured != null && !configured.isBlank()) {
            return new SealpostHome(Path.of(configured).toAbsolutePath());
        }
        return new SealpostHome(Path.of(System.getProperty("user.home"), ".sealpost"));
    }

    /** @return the identity folder */
    public Path identityDir() {
        return root.resolve("identity");
    }

    /** @return relay.json */
    public Path relayFile() {
        return root.resolve("relay.json");
    }

    /** @return session.json */
    public Path sessionFile() {
        return root.resolve("session.json");
    }

    /** @return contacts.json */
    public Path contactsFile() {
        return root.resolve("contacts.json");
    }

    /** @return received.log */
    public Path receivedLog() {
        return root.resolve("received.log");
    }

    /**
     * Replaces {@code target} atomically: writes a temporary file beside it, fsyncs it and
     * renames it over the target, so a crash leaves either the old or the new content.
     *
     * @param target  the file to replace
     * @param bytes   its new content
     * @param private_ true to create it readable by the owner only (0600)
     * @throws IOException if writing fails; the old file is then untouched
     */
    public static void writeAtomically(Path target, byte[] bytes, boolean private_) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = synced(target, bytes, private_);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code target} with {@code bytes}, never replacing a file: writes a temporary file
     * beside it, fsyncs it and hard-links it to the target name, which fails if the name exists
     * (unlike a rename, which would replace a file that appeared after the caller checked).
     *
     * @param target the file to create
     * @param bytes  its content
     * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists; nothing is changed
     * @throws IOException if writing fails; no file is left behind
     */
    public static void createAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = synced(target, bytes, false);
        try {
            Files.createLink(target, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @return a temporary file beside {@code target} holding {@code bytes}, forced to disk; the caller removes it */
    private static Path synced(Path target, byte[] bytes, boolean private_) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            if (private_) {
                trySetPermissions(tmp, "rw-------");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static void trySetPermissions(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: rely on the folder's own protection
        }
    }
}
