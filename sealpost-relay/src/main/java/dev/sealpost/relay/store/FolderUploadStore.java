package dev.sealpost.relay.store;

import dev.sealpost.crypto.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of resumable uploads as files: one file per upload (mode 0600), named by its id, in one
 * directory (mode 0700 when created, for example {@code dataDir/uploads/}). A file is appended to in
 * place, so it may hold bytes past the durable offset (written but not yet forced when the relay
 * stopped); {@link #resume} cuts it back first. A checkpoint is an {@code fsync} of the file.
 */
final class FolderUploadStore implements UploadStore {
    private static final Logger LOG = LoggerFactory.getLogger(FolderUploadStore.class);
    /** Size of the copy buffer of one download: 1 MiB. */
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path dir;
    private final long checkpointBytes;

    /** @param checkpointBytes bytes between two checkpoints of one writer, positive */
    FolderUploadStore(Path dir, long checkpointBytes) throws IOException {
        if (checkpointBytes < 1) {
            throw new IllegalArgumentException("checkpointBytes must be positive");
        }
        AtomicFiles.createPrivateDirectory(dir);
        this.dir = dir;
        this.checkpointBytes = checkpointBytes;
    }

    @Override
    public String begin(String id, long length) throws IOException {
        if (length == 0) { // complete at once: no PATCH will create its (empty) file
            open(id).close();
        } else {
            path(id); // checks the id; the first PATCH creates the file
        }
        return null;
    }

    @Override
    public Writer resume(UploadRecord upload) throws IOException {
        FileChannel out = open(upload.id());
        try {
            long size = out.size();
            if (size < upload.offset()) { // the file lost bytes the record calls durable
                out.force(true); // what it holds becomes the durable offset
                throw new StoredOffsetMismatch(size);
            }
            if (size > upload.offset()) {
                out.truncate(upload.offset()); // written after the last checkpoint of an earlier run: not durable
            }
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return new FileWriter(out, upload.offset());
    }

    private final class FileWriter implements Writer {
        private final FileChannel out;
        private long position;
        private long sealed;

        FileWriter(FileChannel out, long offset) {
            this.out = out;
            this.position = offset;
            this.sealed = offset;
        }

        @Override
        public long nextCheckpoint() {
            return sealed + checkpointBytes;
        }

        @Override
        public void write(byte[] bytes, int length) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
            while (b.hasRemaining()) {
                position += out.write(b, position);
            }
        }

        @Override
        public Checkpoint checkpoint(boolean last) {
            sealed = position;
            return () -> {
                CrashPoints.reach(CrashPoints.UPLOAD_WRITTEN);
                out.force(true);
                CrashPoints.reach(CrashPoints.UPLOAD_FORCED);
            };
        }

        @Override
        public void discardAfter(long durable) {
            try {
                if (out.size() > durable) {
                    out.truncate(durable); // give back what the disk took of the bytes that were not stored
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot cut upload file back to {} (the next PATCH does): {}", durable, e.toString());
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    @Override
    public Optional<StoredBytes> read(UploadRecord upload) throws IOException {
        FileChannel file;
        try {
            file = FileChannel.open(path(upload.id()), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(new StoredBytes() {
            @Override
            public boolean copyTo(long first, long length, OutputStream out) throws IOException {
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(1, length)));
                long position = first;
                long end = first + length;
                while (position < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                    int n = file.read(buffer, position);
                    if (n < 0) {
                        throw new IOException("upload file ended at " + position + ", before " + end);
                    }
                    try {
                        out.write(buffer.array(), 0, n);
                    } catch (IOException e) {
                        LOG.debug("download ended by the client at {} of {}: {}", position, end, e.toString());
                        return false;
                    }
                    position += n;
                }
                return true;
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        });
    }

    @Override
    public void delete(String id, String storageRef) throws IOException {
        Files.deleteIfExists(path(id));
    }

    /** Every upload file: the folder has one relay, which calls this at startup, when nothing else runs. */
    @Override
    public List<String> orphans(Instant cutoff) throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path p : all) {
                String name = p.getFileName().toString();
                if (UploadStore.isValidId(name) && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    @Override
    public void close() {
        // nothing held open
    }

    /** Opens an upload's file for writing, creating it with mode 0600 if missing (and forcing the directory). */
    private FileChannel open(String id) throws IOException {
        Path file = path(id);
        boolean existed = Files.exists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (!existed) {
            try {
                AtomicFiles.setPermissions(file, AtomicFiles.OWNER_ONLY); // the folder is 0700 already
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            forceDirectory();
        }
        return ch;
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; nothing more can be done there.
        }
    }

    private Path path(String id) {
        if (!UploadStore.isValidId(id)) {
            throw new IllegalArgumentException("invalid upload id");
        }
        return dir.resolve(id);
    }
}
