package dev.sealpost.relay.store;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the bytes of recently stored or read small sealed messages in memory, in front of another
 * store: a message is written once, never changed, and usually fetched soon by each recipient,
 * so on an object store most fetches then cost no round trip. Bounded: messages of at most
 * {@code maxMessageBytes}, at most {@code maxTotalBytes} in all, oldest first out (in the order
 * they were kept: a message is fetched soon after it is stored or not for long, so first in,
 * first out keeps what least-recently-used would). It serves bytes only; whether the caller may
 * read a message is decided before (the relay checks the message's row on every fetch), and ids
 * are never reused, so an entry another node deleted meanwhile is never served. Thread-safe.
 *
 * <p>A fetch takes no lock: a lookup in a {@link ConcurrentHashMap}. The least-recently-used
 * map under a monitor that this cache had before made every fetch take that monitor, and with a
 * thousand connections virtual threads waited up to a second for their turn at it
 * (docs/BENCHMARKS.md, "Eighth round"). Keeping and forgetting are lock-free too.
 */
final class CachingSealedMessageStore implements SealedMessageStore {
    /**
     * Bytes of {@code maxTotalBytes} counted per entry of {@link #order} at least: the keys of
     * forgotten messages stay there until they reach its head, and this bounds them (a sealed
     * message is larger: its recipient info and signature alone are).
     */
    private static final int MIN_ENTRY_BYTES = 256;
    private final SealedMessageStore store;
    private final int maxMessageBytes;
    private final long maxTotalBytes;
    /** Most entries in {@link #order}. */
    private final int maxOrderEntries;
    private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();
    /** Keys in the order they were kept, oldest first; some may have been forgotten since. */
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    /** Size of {@link #order} ({@link ConcurrentLinkedQueue#size()} walks the queue). */
    private final AtomicInteger orderEntries = new AtomicInteger();
    /** Bytes of the messages in {@link #cache}. */
    private final AtomicLong totalBytes = new AtomicLong();

    /**
     * @param maxMessageBytes largest message kept, in bytes (at least 1)
     * @param maxTotalBytes   most bytes kept in all
     * @throws IllegalArgumentException if {@code maxMessageBytes} is less than 1 or {@code maxTotalBytes} negative
     */
    CachingSealedMessageStore(SealedMessageStore store, int maxMessageBytes, long maxTotalBytes) {
        if (maxMessageBytes < 1 || maxTotalBytes < 0) {
            throw new IllegalArgumentException("cache limits out of range: " + maxMessageBytes + ", " + maxTotalBytes);
        }
        this.store = store;
        this.maxMessageBytes = maxMessageBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.maxOrderEntries = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(16, maxTotalBytes / MIN_ENTRY_BYTES));
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

    /** Serves a kept message from memory; otherwise reads the store, and keeps what it read if it is small. */
    @Override
    public InputStream open(String key) throws IOException {
        byte[] kept = cache.get(key);
        if (kept != null) {
            return new ByteArrayInputStream(kept);
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
        cache.clear();
        order.clear();
        store.close();
    }

    /**
     * Keeps {@code bytes} as {@code key}'s (unless it is kept already: a message never changes),
     * then forgets the oldest entries while the total is over its bound. Two threads keeping at
     * once may both evict, so the total may briefly go below the bound; never above it once the
     * last of them returns.
     */
    private void remember(String key, byte[] bytes) {
        if (bytes.length > maxTotalBytes || cache.putIfAbsent(key, bytes) != null) {
            return;
        }
        totalBytes.addAndGet(bytes.length);
        order.add(key);
        orderEntries.incrementAndGet();
        while (totalBytes.get() > maxTotalBytes || orderEntries.get() > maxOrderEntries) {
            String eldest = order.poll();
            if (eldest == null) {
                return;
            }
            orderEntries.decrementAndGet();
            forget(eldest);
        }
    }

    /** @return the bytes of the messages kept now */
    long keptBytes() {
        return totalBytes.get();
    }

    /** @return the messages kept now, by key (a copy) */
    Map<String, byte[]> kept() {
        return Map.copyOf(cache);
    }

    private void forget(String key) {
        byte[] old = cache.remove(key);
        if (old != null) {
            totalBytes.addAndGet(-old.length);
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
