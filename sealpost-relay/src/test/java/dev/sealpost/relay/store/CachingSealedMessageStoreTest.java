package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sealed-message contract through the memory cache (on a folder), and that the cache serves
 * what was stored without opening it again while the folder's stamp of it is unchanged, serves
 * what the folder holds once it changed, forgets deleted messages, and passes large ones through.
 */
class CachingSealedMessageStoreTest extends SealedMessageStoreContract {
    @org.junit.jupiter.api.io.TempDir
    Path dir;
    /** The folder beneath the cache, counting the messages it opens. */
    Counting folder;

    @Override
    SealedMessageStore open() throws IOException {
        folder = new Counting(Stores.sealedMessages(dir), true);
        return Stores.cached(folder, 1024, 4096);
    }

    /** A store that passes everything to another, counting {@link #open}s, with or without its stamps. */
    static final class Counting implements SealedMessageStore {
        final SealedMessageStore store;
        final boolean stamps;
        final AtomicInteger opens = new AtomicInteger();

        Counting(SealedMessageStore store, boolean stamps) {
            this.store = store;
            this.stamps = stamps;
        }

        @Override
        public long put(String key, InputStream content, long maxBytes) throws IOException {
            return store.put(key, content, maxBytes);
        }

        @Override
        public InputStream open(String key) throws IOException {
            opens.incrementAndGet();
            return store.open(key);
        }

        @Override
        public Object stamp(String key) throws IOException {
            return stamps ? store.stamp(key) : null;
        }

        @Override
        public boolean delete(String key) throws IOException {
            return store.delete(key);
        }

        @Override
        public List<String> keysOlderThan(Instant cutoff) throws IOException {
            return store.keysOlderThan(cutoff);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    @Override
    List<String> stored() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = messages.open(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSmallMessage_isServedWithoutOpeningItsFile_whileItsStampIsUnchanged() throws IOException {
        byte[] small = random(1000);
        messages.put("small", new ByteArrayInputStream(small), 10_000);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(small, read("small"));
        }
        assertEquals(0, folder.opens.get(), "served from memory");
    }

    @Test
    void aByteFlippedInTheFile_isServedAsTheFolderHasIt_andADeletedFileIsGone() throws IOException {
        byte[] small = random(1000);
        messages.put("small", new ByteArrayInputStream(small), 10_000);
        Path file = dir.resolve("small");
        FileTime written = Files.getLastModifiedTime(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(500);
            f.write(small[500] ^ 0x40);
        }
        // dated a second later, as on file systems whose timestamps are coarser than this test is quick
        Files.setLastModifiedTime(file, FileTime.fromMillis(written.toMillis() + 1000));
        byte[] flipped = small.clone();
        flipped[500] ^= 0x40;

        assertArrayEquals(flipped, read("small"));
        assertArrayEquals(flipped, read("small"));
        assertEquals(1, folder.opens.get(), "read once after the change, then kept again");

        Files.delete(file);
        assertThrows(NoSuchFileException.class, () -> messages.open("small"));
    }

    @Test
    void aStoreWithoutStamps_isServedFromMemory_untilDeletedThroughTheCache() throws IOException {
        messages.close();
        Counting bucketLike = new Counting(Stores.sealedMessages(dir), false);
        messages = Stores.cached(bucketLike, 1024, 4096);
        byte[] small = random(1000);
        messages.put("small", new ByteArrayInputStream(small), 10_000);
        Files.delete(dir.resolve("small")); // behind the cache's back: only memory has it now
        assertArrayEquals(small, read("small"));
        assertEquals(0, bucketLike.opens.get());
        messages.delete("small");
        assertThrows(NoSuchFileException.class, () -> messages.open("small"));
    }

    @Test
    void aLargeMessage_isReadFromTheStoreWhole() throws IOException {
        byte[] large = random(5000);
        messages.put("large", new ByteArrayInputStream(large), 10_000);
        assertArrayEquals(large, read("large"));
        Files.delete(dir.resolve("large"));
        assertThrows(NoSuchFileException.class, () -> messages.open("large"), "never kept: over the limit");
    }

    @Test
    void theOldest_goFirst_whenTheTotalIsReached() throws IOException {
        for (int i = 0; i < 5; i++) {
            messages.put("m" + i, new ByteArrayInputStream(random(1000 + i)), 10_000);
        }
        for (int i = 1; i < 5; i++) {
            assertEquals(1000 + i, read("m" + i).length);
        }
        assertEquals(0, folder.opens.get(), "4,096 bytes hold the last four");
        assertEquals(1000, read("m0").length);
        assertEquals(1, folder.opens.get(), "the first one was read from the folder");
    }

    @Test
    void manyThreadsKeepingAndForgetting_leaveTheCountOfBytesRight_andWithinItsBound() throws Exception {
        CachingSealedMessageStore cache = (CachingSealedMessageStore) messages;
        int threads = 8;
        int perThread = 300;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String key = "t" + thread + "m" + i;
                        messages.put(key, new ByteArrayInputStream(random(200 + (i % 7) * 100)), 10_000);
                        if (i % 3 == 0) {
                            messages.delete(key);
                        } else if (i % 3 == 1) {
                            read(key);
                        }
                        if (i >= 5 && (i - 5) % 3 != 0) {
                            read("t" + thread + "m" + (i - 5)); // from memory, or from the folder and kept again
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        long sum = cache.kept().values().stream().mapToLong(b -> b.length).sum();
        assertEquals(sum, cache.keptBytes(), "the count of bytes kept is what the map holds");
        assertTrue(cache.keptBytes() <= 4096, cache.keptBytes() + " bytes kept, over the bound of 4,096");
        assertFalse(cache.kept().isEmpty(), "the last ones kept are there");
    }
}
