package dev.sealpost.relay.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bytes of resumable uploads in an {@link S3Bucket}, as S3 multipart uploads (the mapping tusd's
 * {@code s3store} uses). A tus upload of length {@code L} is the multipart upload of object
 * {@code uploads/ID}, begun when the tus upload is created; its reference ({@link UploadRecord#storageRef()})
 * is S3's {@code UploadId}. Parts have a fixed size {@code P} per upload ({@link #partBytes(long)}: at least
 * {@code partBytes} and at most 10,000 parts), so part {@code n} always holds bytes
 * {@code [(n-1)P, nP)} and its number follows from the offset: uploading a part again after a crash
 * replaces it.
 *
 * <p>A writer collects the bytes of the current part in a spool file on local disk (never in memory:
 * at most two parts per running {@code PATCH}, one filling while the other uploads) and a checkpoint
 * at a part boundary uploads it ({@code UploadPart}). A request that ends between boundaries stores
 * the bytes since the last boundary as object {@code uploads/ID.tail}, which the next writer reads back
 * first, so no acknowledged byte is sent twice. The last checkpoint uploads the last part and completes
 * the object ({@code CompleteMultipartUpload}, with the parts S3 lists: {@code ListParts}); downloads
 * then read it with {@code Range}. An upload of length 0 is an empty object at once.
 *
 * <p>Multipart uploads whose row is gone (a crash between creating one and committing its row, or
 * between deleting the row and aborting) are aborted by the orphan sweep; an S3 lifecycle rule
 * {@code AbortIncompleteMultipartUpload} is a good second line where the store offers one.
 */
final class S3UploadStore implements UploadStore {
    /** S3's smallest part but the last: 5 MiB. */
    static final long MIN_PART_BYTES = 5L << 20;
    /** S3's most parts of one multipart upload. */
    static final int MAX_PARTS = 10_000;
    private static final String PREFIX = "uploads/";
    private static final String TAIL = ".tail";
    private static final int BUFFER_BYTES = 1 << 20;

    private final S3Bucket bucket;
    private final Path spool;
    private final long partBytes;

    /**
     * @param spool     a local folder for the part being received (not shared; emptied by the caller at start)
     * @param partBytes the size of a part, at least {@link #MIN_PART_BYTES}
     */
    S3UploadStore(S3Bucket bucket, Path spool, long partBytes) {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("an S3 part needs at least " + MIN_PART_BYTES + " bytes");
        }
        this.bucket = bucket;
        this.spool = spool;
        this.partBytes = partBytes;
    }

    /** @return the part size of an upload of {@code length} bytes: {@code partBytes}, or more (whole MiB) to stay within 10,000 parts */
    long partBytes(long length) {
        long needed = -Math.floorDiv(-length, MAX_PARTS); // ceil(length / MAX_PARTS)
        long mib = 1L << 20;
        return Math.max(partBytes, -Math.floorDiv(-needed, mib) * mib);
    }

    @Override
    public String begin(String id, long length) throws IOException {
        String key = key(id);
        try {
            if (length == 0) {
                bucket.client().putObject(p -> p.bucket(bucket.name()).key(key), RequestBody.empty());
                return null;
            }
            return bucket.client().createMultipartUpload(c -> c.bucket(bucket.name()).key(key)
                    .contentType("application/octet-stream")).uploadId();
        } catch (SdkException e) {
            throw S3Bucket.writeFailure("beginning upload", e);
        }
    }

    @Override
    public Writer resume(UploadRecord upload) throws IOException {
        String key = key(upload.id());
        if (upload.storageRef() == null) {
            throw new IOException("upload " + upload.id() + " has no multipart upload (made by another store?)");
        }
        long part = partBytes(upload.length());
        long offset = upload.offset();
        if (completedLength(key) == upload.length()) { // completed, but the relay stopped before recording it
            throw new StoredOffsetMismatch(upload.length());
        }
        long boundary = offset - offset % part;
        Path file = newSpool();
        boolean ok = false;
        try {
            long tail = offset - boundary;
            if (tail > 0 && readTail(key, tail, file) < tail) {
                throw new StoredOffsetMismatch(boundary); // the tail is lost: the parts before it are not
            }
            ok = true;
            return new S3Writer(upload, part, boundary, file, tail);
        } finally {
            if (!ok) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** @return bytes of the tail object copied into {@code file}, at most {@code bytes} */
    private long readTail(String key, long bytes, Path file) throws IOException {
        try (InputStream in = bucket.client().getObject(g -> g.bucket(bucket.name()).key(key + TAIL)
                .range("bytes=0-" + (bytes - 1)));
             OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            return in.transferTo(out);
        } catch (NoSuchKeyException e) {
            return 0;
        } catch (SdkException e) {
            throw S3Bucket.readFailure("reading upload tail", e);
        }
    }

    /** @return the length of the completed object, or -1 if there is none */
    private long completedLength(String key) throws IOException {
        try {
            return bucket.client().headObject(h -> h.bucket(bucket.name()).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw S3Bucket.readFailure("checking upload", e);
        } catch (SdkException e) {
            throw S3Bucket.readFailure("checking upload", e);
        }
    }

    private Path newSpool() throws IOException {
        try {
            return Files.createTempFile(spool, "part-", ".spool"); // 0600
        } catch (IOException e) {
            throw new StoreWriteException(e);
        }
    }

    private final class S3Writer implements Writer {
        private final String id;
        private final String key;
        private final String uploadId;
        private final long length;
        private final long part;
        private final List<Path> files = new ArrayList<>();
        private Path file;
        private FileChannel channel;
        /** Offset in the upload of the spool file's first byte: a part boundary. */
        private long start;
        private long position;

        S3Writer(UploadRecord upload, long part, long start, Path file, long tail) throws IOException {
            this.id = upload.id();
            this.key = key(id);
            this.uploadId = upload.storageRef();
            this.length = upload.length();
            this.part = part;
            this.start = start;
            this.position = start + tail;
            open(file);
        }

        private void open(Path spoolFile) throws IOException {
            files.add(spoolFile);
            file = spoolFile;
            channel = FileChannel.open(spoolFile, StandardOpenOption.WRITE);
            channel.position(position - start);
        }

        @Override
        public long nextCheckpoint() {
            return Math.min(length, start + part);
        }

        @Override
        public void write(byte[] bytes, int count) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes, 0, count);
            while (b.hasRemaining()) {
                channel.write(b);
            }
            position += count;
        }

        @Override
        public Checkpoint checkpoint(boolean last) throws IOException {
            Path sealed = file;
            long from = start;
            long bytes = position - start;
            int number = Math.toIntExact(from / part + 1);
            if (position == length) {
                channel.close();
                return () -> {
                    if (bytes > 0 || number == 1) {
                        uploadPart(number, sealed, bytes);
                    }
                    complete(bytes > 0 || number == 1 ? number : number - 1);
                    done(sealed);
                };
            }
            if (bytes == part) { // a part boundary: the next part goes to a new spool file
                channel.close();
                start = position;
                open(newSpool());
                return () -> {
                    uploadPart(number, sealed, bytes);
                    done(sealed);
                };
            }
            if (!last) {
                throw new IllegalStateException("a checkpoint between part boundaries must be the last");
            }
            return () -> { // reads the spool file back: the writer writes nothing more
                if (bytes > 0) {
                    put(key + TAIL, sealed, bytes, "storing upload tail");
                }
            };
        }

        private void uploadPart(int number, Path from, long bytes) throws IOException {
            try {
                bucket.client().uploadPart(u -> u.bucket(bucket.name()).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength(bytes), body(from, bytes));
            } catch (SdkException e) {
                throw S3Bucket.writeFailure("uploading part " + number, e);
            }
        }

        private void complete(int parts) throws IOException {
            List<CompletedPart> completed = new ArrayList<>(parts);
            try {
                for (Part p : bucket.client().listPartsPaginator(l -> l.bucket(bucket.name()).key(key).uploadId(uploadId)).parts()) {
                    if (p.partNumber() <= parts) {
                        completed.add(CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build());
                    }
                }
                if (completed.size() != parts) {
                    throw new StoreWriteException(new IOException("object store lists " + completed.size()
                            + " parts of upload " + id + ", not " + parts));
                }
                completed.sort(java.util.Comparator.comparingInt(CompletedPart::partNumber));
                bucket.client().completeMultipartUpload(c -> c.bucket(bucket.name()).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(completed)));
            } catch (SdkException e) {
                throw S3Bucket.writeFailure("completing upload", e);
            }
            deleteQuietly(key + TAIL);
        }

        private void done(Path sealed) throws IOException {
            Files.deleteIfExists(sealed);
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                for (Path p : files) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void put(String object, Path from, long bytes, String what) throws IOException {
        try {
            bucket.client().putObject(p -> p.bucket(bucket.name()).key(object).contentLength(bytes), body(from, bytes));
        } catch (SdkException e) {
            throw S3Bucket.writeFailure(what, e);
        }
    }

    /** @return the first {@code bytes} bytes of {@code file}, re-readable for the SDK's retries */
    private static RequestBody body(Path file, long bytes) {
        return RequestBody.fromContentProvider(() -> {
            try {
                return new BoundedInputStream(Files.newInputStream(file), bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, bytes, "application/octet-stream");
    }

    /** The first {@code limit} bytes of a stream. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    @Override
    public Optional<StoredBytes> read(UploadRecord upload) throws IOException {
        String key = key(upload.id());
        if (completedLength(key) < 0) {
            return Optional.empty();
        }
        return Optional.of(new StoredBytes() {
            @Override
            public boolean copyTo(long first, long length, OutputStream out) throws IOException {
                if (length == 0) {
                    return true;
                }
                try (InputStream in = bucket.client().getObject(g -> g.bucket(bucket.name()).key(key)
                        .range("bytes=" + first + "-" + (first + length - 1)))) {
                    byte[] buffer = new byte[(int) Math.min(BUFFER_BYTES, length)];
                    long copied = 0;
                    for (int n; copied < length && (n = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied))) > 0; ) {
                        try {
                            out.write(buffer, 0, n);
                        } catch (IOException e) {
                            return false; // the client went away; closing the object stream aborts its connection
                        }
                        copied += n;
                    }
                    if (copied < length) {
                        throw new IOException("object " + key + " ended at " + (first + copied) + ", before " + (first + length));
                    }
                    return true;
                } catch (SdkException e) {
                    throw S3Bucket.readFailure("reading upload", e);
                }
            }

            @Override
            public void close() {
                // each copy opens and closes its own request
            }
        });
    }

    @Override
    public void delete(String id, String storageRef) throws IOException {
        String key = key(id);
        try {
            bucket.client().deleteObject(d -> d.bucket(bucket.name()).key(key));
            bucket.client().deleteObject(d -> d.bucket(bucket.name()).key(key + TAIL));
            List<String> refs = new ArrayList<>();
            if (storageRef != null) {
                refs.add(storageRef);
            } else {
                for (MultipartUpload m : bucket.client().listMultipartUploadsPaginator(l -> l.bucket(bucket.name()).prefix(key)).uploads()) {
                    if (m.key().equals(key)) {
                        refs.add(m.uploadId());
                    }
                }
            }
            for (String ref : refs) {
                try {
                    bucket.client().abortMultipartUpload(a -> a.bucket(bucket.name()).key(key).uploadId(ref));
                } catch (NoSuchUploadException e) {
                    // completed or aborted already
                }
            }
        } catch (SdkException e) {
            throw S3Bucket.readFailure("deleting upload", e);
        }
    }

    @Override
    public List<String> orphans(Instant cutoff) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        try {
            for (S3Object o : bucket.client().listObjectsV2Paginator(l -> l.bucket(bucket.name()).prefix(PREFIX)).contents()) {
                String name = o.key().substring(PREFIX.length());
                if (name.endsWith(TAIL)) {
                    name = name.substring(0, name.length() - TAIL.length());
                }
                if (UploadStore.isValidId(name) && o.lastModified().isBefore(cutoff)) {
                    ids.add(name);
                }
            }
            for (MultipartUpload m : bucket.client().listMultipartUploadsPaginator(l -> l.bucket(bucket.name()).prefix(PREFIX)).uploads()) {
                String name = m.key().substring(PREFIX.length());
                if (UploadStore.isValidId(name) && m.initiated().isBefore(cutoff)) {
                    ids.add(name);
                }
            }
        } catch (SdkException e) {
            throw S3Bucket.readFailure("listing uploads", e);
        }
        return new ArrayList<>(ids);
    }

    private void deleteQuietly(String object) {
        try {
            bucket.client().deleteObject(d -> d.bucket(bucket.name()).key(object));
        } catch (SdkException e) {
            // an unused tail: the orphan sweep or the upload's deletion removes it
        }
    }

    @Override
    public void close() {
        // the bucket is closed by its owner
    }

    private static String key(String id) {
        if (!UploadStore.isValidId(id)) {
            throw new IllegalArgumentException("invalid upload id");
        }
        return PREFIX + id;
    }
}
