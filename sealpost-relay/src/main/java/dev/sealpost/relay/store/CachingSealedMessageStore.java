package dev.sealpost.relay.store;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the bytes of recently stored or read small sealed messages in memory, in front of another
 * store: a message is written once, never changed, and usually fetched soon by each recipient,
 * so on an object store most fetches then cost no round trip. Bounded: messages of at most
 * {@code maxMessageBytes}, at most {@code maxTotalBytes} in all, least recently used first out.
 * It serves bytes only; whether the caller may read a message is decided before (the relay
 * checks the message's row on every fetch), and ids are never reused, so an entry another node
 * deleted meanwhile is never served. Thread-safe.
 */
final class CachingSealedMessageStore implements SealedMessageStore {
    private final SealedMessageStore store;
    private final int maxMessageBytes;
    private final long maxTotalBytes;
    private final LinkedHashMap<String, byte[]> cache = new LinkedHashMap<>(256, 0.75f, true);
    private long totalBytes;

    /**
     * @param maxMessageBytes largest message kept, in bytes
     * @param maxTotalBytes   most bytes kept in all
     */
    CachingSealedMessageStore(SealedMessageStore store, int maxMessageBytes, long maxTotalBytes) {
        this.store = store;
        this.maxMessageBytes = maxMessageBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    @Override
    public long put(String key, InputStream content, long maxBytes) throws IOException {
        Tee tee = new Tee(content, maxMessageBytes);
        long size = store.put(key, tee, maxBytes);
        byte[] bytes = tee.bytes();
        if (bytes != null && bytes.length == size) {
            remember(key, bytes);
        }
        return size;
    }

    @Override
    public InputStream open(String key) throws IOException {
        byte[] bytes;
        synchronized (this) {
            bytes = cache.get(key);
        }
        if (bytes != null) {
            return new ByteArrayInputStream(bytes);
        }
        InputStream in = store.open(key);
        byte[] head;
        try {
            head = in.readNBytes(maxMessageBytes + 1);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        if (head.length <= maxMessageBytes) {
            in.close();
            remember(key, head);
            return new ByteArrayInputStream(head);
        }
        return new SequenceInputStream(new ByteArrayInputStream(head), in);
    }

    @Override
    public boolean delete(String key) throws IOException {
        forget(key);
        return store.delete(key);
    }

    @Override
    public List<String> keysOlderThan(Instant cutoff) throws IOException {
        return store.keysOlderThan(cutoff);
    }

    @Override
    public void close() {
        synchronized (this) {
            cache.clear();
            totalBytes = 0;
        }
        store.close();
    }

    private synchronized void remember(String key, byte[] bytes) {
        byte[] old = cache.put(key, bytes);
        totalBytes += bytes.length - (old == null ? 0 : old.length);
        var eldest = cache.entrySet().iterator();
        while (totalBytes > maxTotalBytes && eldest.hasNext()) {
            Map.Entry<String, byte[]> e = eldest.next();
            totalBytes -= e.getValue().length;
            eldest.remove();
        }
    }

    private synchronized void forget(String key) {
        byte[] old = cache.remove(key);
        if (old != null) {
            totalBytes -= old.length;
        }
    }

    /** Passes a stream through, keeping a copy of it while it is at most {@code limit} bytes. */
    private static final class Tee extends FilterInputStream {
        private byte[] copy = new byte[4096];
        private int length;
        private final int limit;

        Tee(InputStream in, int limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                keep(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                keep(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            copy = null; // a skipped stretch is not kept: neither is the message
            return super.skip(n);
        }

        private void keep(byte[] b, int off, int n) {
            if (copy == null) {
                return;
            }
            if (length + n > limit) {
                copy = null;
                return;
            }
            if (length + n > copy.length) {
                copy = Arrays.copyOf(copy, Math.min(limit, Math.max(length + n, copy.length * 2)));
            }
            System.arraycopy(b, off, copy, length, n);
            length += n;
        }

        /** @return what passed through, or null if it was more than the limit */
        byte[] bytes() {
            return copy == null ? null : Arrays.copyOf(copy, length);
        }
    }
}
