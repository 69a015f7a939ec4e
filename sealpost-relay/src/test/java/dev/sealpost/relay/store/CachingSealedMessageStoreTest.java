package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sealed-message contract through the memory cache (on a folder), and that the cache serves
 * what was stored without reading the store again, forgets deleted messages, and passes large ones through.
 */
class CachingSealedMessageStoreTest extends SealedMessageStoreContract {
    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @Override
    SealedMessageStore open() throws IOException {
        return Stores.cached(Stores.sealedMessages(dir), 1024, 4096);
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
    void aSmallMessage_isServedFromMemory_untilDeleted() throws IOException {
        byte[] small = random(1000);
        messages.put("small", new ByteArrayInputStream(small), 10_000);
        Files.delete(dir.resolve("small")); // behind the cache's back: only memory has it now
        assertArrayEquals(small, read("small"));
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
        for (int i = 0; i < 5; i++) {
            Files.delete(dir.resolve("m" + i));
        }
        assertThrows(NoSuchFileException.class, () -> messages.open("m0"), "4,096 bytes hold the last four");
        for (int i = 1; i < 5; i++) {
            assertEquals(1000 + i, read("m" + i).length);
        }
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
