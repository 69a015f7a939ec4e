package dev.sealpost.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The project's one way to write a small file whole or not at all (key files, certificates,
 * the client's state, sealed messages, the relay's TLS identity): write a temporary file in the
 * same directory with the final mode, force it to disk, then give it its name, and force the
 * directory. {@link #createNew} never replaces a file (a hard link, which fails if the name
 * exists, where a rename would silently replace a file that appeared after the caller
 * checked); {@link #replace} renames over the old file, so a crash leaves the old or the new
 * content, never a mix. On a file system without POSIX permissions the modes are left to it.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** {@code rw-------}: private keys, tokens, anything only the owner may read. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** {@code rwx------}: private folders. */
    public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    /** {@code rw-r--r--}: certificates and other public files. */
    public static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");

    /**
     * Creates {@code target}; never replaces a file.
     *
     * @param target      the final path; its directory must exist (a sealed file is never
     *                    written into a folder the user mistyped)
     * @param data        the complete contents
     * @param permissions the file's mode
     * @throws java.nio.file.NoSuchFileException if the directory does not exist
     * @throws FileAlreadyExistsException if {@code target} exists; it is left untouched
     * @throws IOException if writing fails; no partial file remains under {@code target}
     */
    public static void createNew(Path target, byte[] data, Set<PosixFilePermission> permissions) throws IOException {
        Path tmp = written(target, data, permissions);
        try {
            publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Replaces {@code target} (or creates it): a crash leaves either the old or the new content.
     *
     * @param target      the file; its directory is created if missing
     * @param data        the complete new contents
     * @param permissions the file's mode
     * @throws IOException if writing fails; the old file is then untouched
     */
    public static void replace(Path target, byte[] data, Set<PosixFilePermission> permissions) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path tmp = written(target, data, permissions);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** @return a temporary file beside {@code target} holding {@code data} with {@code permissions}, forced to disk */
    private static Path written(Path target, byte[] data, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp"); // 0600 on POSIX
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            setPermissions(tmp, permissions);
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links on this file system: fall back to an atomic rename after a check.
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException ex) {
                throw new IOException("cannot create " + target + " atomically", ex);
            }
        }
    }

    /**
     * Creates a directory with mode 0700 if it does not exist yet; an existing directory is kept as is.
     *
     * @throws IOException if it cannot be created or exists as something else than a directory
     */
    public static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " exists and is not a directory");
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (parent != null && Files.getFileStore(parent).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR)); // never readable by others, not even briefly
            Files.setPosixFilePermissions(dir, OWNER_DIR); // independent of the umask
        } else {
            Files.createDirectory(dir);
        }
    }

    /**
     * Sets a file's or folder's mode; does nothing on a file system without POSIX permissions.
     *
     * @throws IOException if the file system refuses
     */
    public static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    /** @return true if group or others may read {@code file} (always false without POSIX permissions) */
    public static boolean readableByOthers(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return false;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
    }

    /** Forces a directory's entries to disk, where the platform allows (a rename itself is atomic). */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not possible on every platform
        }
    }
}
