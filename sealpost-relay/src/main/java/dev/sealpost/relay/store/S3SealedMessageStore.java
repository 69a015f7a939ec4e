package dev.sealpost.relay.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Sealed messages as objects {@code messages/KEY} of an {@link S3Bucket}. A message is read whole
 * (in memory up to {@value #MEMORY_BYTES} bytes, in a temporary file of the spool folder beyond),
 * then stored with one {@code PutObject} of known length, which S3 makes visible whole or not at
 * all, and durable when it answers (the store's own guarantee: S3 and most S3-compatible stores
 * replicate before they answer; a single-disk store may not fsync).
 */
final class S3SealedMessageStore implements SealedMessageStore {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String PREFIX = "messages/";
    /** Messages up to this size are held in memory between the request and the object store: 1 MiB. */
    static final int MEMORY_BYTES = 1 << 20;

    private final S3Bucket bucket;
    private final Path spool;

    S3SealedMessageStore(S3Bucket bucket, Path spool) {
        this.bucket = bucket;
        this.spool = spool;
    }

    @Override
    public long put(String key, InputStream content, long maxBytes) throws IOException {
        String object = object(key);
        if (exists(object)) {
            throw new FileAlreadyExistsException(key);
        }
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        long limit = Math.min(maxBytes, MEMORY_BYTES);
        long size = copy(content, memory, limit, maxBytes, true); // at most limit + 1 bytes
        RequestBody body;
        Path file = null;
        try {
            if (size <= limit) { // the whole message
                body = RequestBody.fromBytes(memory.toByteArray());
            } else {
                try {
                    file = Files.createTempFile(spool, "message-", ".part");
                } catch (IOException e) {
                    throw new StoreWriteException(e);
                }
                try (OutputStream out = Files.newOutputStream(file)) {
                    memory.writeTo(out);
                    size += copy(content, out, maxBytes - size, maxBytes, false);
                }
                body = RequestBody.fromFile(file);
            }
            try {
                bucket.client().putObject(p -> p.bucket(bucket.name()).key(object)
                        .contentType("application/octet-stream"), body);
            } catch (SdkException e) {
                throw S3Bucket.writeFailure("storing message", e);
            }
            CrashPoints.reach(CrashPoints.MESSAGE_RENAMED);
            return size;
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Copies up to {@code limit} bytes; past {@code maxBytes} in all it throws.
     *
     * @param stopAtLimit true to stop after {@code limit} bytes (the rest stays in {@code in}), false to
     *                    fail past it
     */
    private static long copy(InputStream in, OutputStream out, long limit, long maxBytes, boolean stopAtLimit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (true) {
            int want = stopAtLimit ? (int) Math.min(buffer.length, limit + 1 - total) : buffer.length;
            if (want <= 0) {
                return total;
            }
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                return total;
            }
            total += n;
            if (!stopAtLimit && total > limit || total > maxBytes) {
                throw new MessageTooLargeException(maxBytes);
            }
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new StoreWriteException(e);
            }
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return bucket.client().getObject(g -> g.bucket(bucket.name()).key(object(key)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw S3Bucket.readFailure("reading message", e);
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        String object = object(key);
        try {
            boolean existed = exists(object);
            bucket.client().deleteObject(d -> d.bucket(bucket.name()).key(object));
            return existed;
        } catch (SdkException e) {
            throw S3Bucket.readFailure("deleting message", e);
        }
    }

    @Override
    public List<String> keysOlderThan(Instant cutoff) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object o : bucket.client().listObjectsV2Paginator(l -> l.bucket(bucket.name()).prefix(PREFIX)).contents()) {
                String key = o.key().substring(PREFIX.length());
                if (KEY.matcher(key).matches() && o.lastModified().isBefore(cutoff)) {
                    keys.add(key);
                }
            }
        } catch (SdkException e) {
            throw S3Bucket.readFailure("listing messages", e);
        }
        return keys;
    }

    @Override
    public void close() {
        // the bucket is closed by its owner
    }

    private boolean exists(String object) throws IOException {
        try {
            bucket.client().headObject(h -> h.bucket(bucket.name()).key(object));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw S3Bucket.readFailure("checking message", e);
        } catch (SdkException e) {
            throw S3Bucket.readFailure("checking message", e);
        }
    }

    private static String object(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid message key");
        }
        return PREFIX + key;
    }
}
