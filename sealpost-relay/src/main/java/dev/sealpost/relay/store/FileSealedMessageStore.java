package dev.sealpost.relay.store;

import dev.sealpost.crypto.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sealed messages as files in one directory, one file per message named by its key, mode 0600
 * in folders created with mode 0700. A
 * message is written to {@code tmp/} in the same directory tree (same file system), forced to
 * disk, renamed into place atomically, and the directory is forced too, so after {@link #put}
 * returns the message survives a crash or power loss and a reader never sees half of it.
 * Leftover temporary files are removed on open. A message is read through {@link
 * CallerRunsFileInput}, not the JDK's common {@code Cleaner}, where a thousand fetching
 * connections queued; it is written through {@code FileChannel}, whose {@code force} lets the
 * JDK add a carrier thread while a virtual thread waits for the disk.
 */
final class FileSealedMessageStore implements SealedMessageStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSealedMessageStore.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int BUFFER = 64 * 1024;

    private final Path dir;
    private final Path tmp;
    /** Guards the shared directory syncs: {@link #syncDirectory}. */
    private final Object dirSync = new Object();
    /** Directory syncs asked for so far; the first {@code dirCompleted} of them are covered by a completed sync. */
    private long dirRequested;
    private long dirCompleted;
    private boolean dirSyncing;

    FileSealedMessageStore(Path dir) throws IOException {
        AtomicFiles.createPrivateDirectory(dir);
        this.dir = dir;
        this.tmp = dir.resolve("tmp");
        AtomicFiles.createPrivateDirectory(tmp);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public long put(String key, InputStream content, long maxBytes) throws IOException {
        Path target = path(key);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(key);
        }
        Path part;
        try {
            part = Files.createTempFile(tmp, "upload-", ".part"); // 0600 on POSIX, and kept by the rename
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
        boolean kept = false;
        try {
            long size;
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
                size = copy(content, out, maxBytes);
                try {
                    out.force(true);
                } catch (IOException e) {
                    throw new StoreWriteException(e);
                }
            }
            CrashPoints.reach(CrashPoints.MESSAGE_WRITTEN);
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException e) {
                throw new StoreWriteException(e);
            }
            kept = true;
            syncDirectory();
            CrashPoints.reach(CrashPoints.MESSAGE_RENAMED);
            return size;
        } finally {
            if (!kept) {
                Files.deleteIfExists(part);
            }
        }
    }

    /** @throws StoreWriteException if writing fails; other IOExceptions come from reading {@code in} */
    private static long copy(InputStream in, FileChannel out, long maxBytes) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > maxBytes) {
                throw new MessageTooLargeException(maxBytes);
            }
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
            try {
                while (b.hasRemaining()) {
                    out.write(b);
                }
            } catch (IOException e) {
                throw new StoreWriteException(e);
            }
        }
        return total;
    }

    @Override
    public InputStream open(String key) throws IOException {
        return CallerRunsFileInput.open(path(key)); // not Files.newInputStream: see that class
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(path(key));
    }

    @Override
    public List<String> keysOlderThan(Instant cutoff) throws IOException {
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path p : all) {
                String name = p.getFileName().toString();
                if (KEY.matcher(name).matches() && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    keys.add(name);
                }
            }
        }
        return keys;
    }

    @Override
    public void close() {
        // nothing held open
    }

    private Path path(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid message key");
        }
        return dir.resolve(key);
    }

    /**
     * Forces the directory, or waits for a force that began after this call (and so after the
     * caller's rename): the puts that finish together share one directory sync instead of
     * queueing for one each (issue 14). Returns only once a sync covering the caller's rename
     * has completed, as a force of its own would.
     */
    private void syncDirectory() {
        long covers;
        synchronized (dirSync) {
            long mine = ++dirRequested;
            while (dirCompleted < mine && dirSyncing) {
                try {
                    dirSync.wait();
                } catch (InterruptedException e) { // sync for ourselves rather than return unsynced
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (dirCompleted >= mine) {
                return;
            }
            if (dirSyncing) { // interrupted while another sync runs: one of our own, unshared
                covers = -1;
            } else {
                dirSyncing = true;
                covers = dirRequested;
            }
        }
        try {
            forceDirectory(dir);
        } finally {
            if (covers >= 0) {
                synchronized (dirSync) {
                    dirSyncing = false;
                    dirCompleted = covers;
                    dirSync.notifyAll();
                }
            }
        }
    }

    /** Makes a rename in {@code directory} durable (fsync of the directory, POSIX). */
    private static void forceDirectory(Path directory) {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
            LOG.debug("cannot force directory {}: {}", directory, e.toString());
        }
    }
}
