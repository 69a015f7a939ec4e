package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed-message contract on a real S3-compatible store (s3proxy), as FileSealedMessageStoreTest on a folder. */
class S3SealedMessageStoreTest {
    @TempDir
    Path spool;
    String bucketName;
    S3Bucket bucket;
    SealedMessageStore messages;

    @BeforeEach
    void open() throws IOException {
        bucketName = S3TestBucket.newBucket();
        bucket = S3TestBucket.connect(bucketName);
        messages = Stores.sealedMessages(bucket, spool);
    }

    @AfterEach
    void close() {
        bucket.close();
    }

    private List<String> objects() throws IOException {
        return S3TestBucket.proxy().objects(bucketName);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void put_thenOpen_returnsSameBytes_smallAndSpooled() throws IOException {
        byte[] small = "sealed".getBytes();
        byte[] large = random(3 * (1 << 20) + 17); // over the 1 MiB held in memory: goes through the spool
        assertEquals(6, messages.put("abc", new ByteArrayInputStream(small), 100));
        assertEquals(large.length, messages.put("big", new ByteArrayInputStream(large), 8 << 20));
        try (InputStream in = messages.open("abc")) {
            assertArrayEquals(small, in.readAllBytes());
        }
        try (InputStream in = messages.open("big")) {
            assertArrayEquals(large, in.readAllBytes());
        }
        assertEquals(List.of("messages/abc", "messages/big"), objects());
        assertEquals(List.of("abc", "big"), messages.keysOlderThan(Instant.now().plusSeconds(60)).stream().sorted().toList());
        assertEquals(List.of(), messages.keysOlderThan(Instant.now().minusSeconds(3600)), "a cutoff spares younger messages");
        try (var left = Files.list(spool)) {
            assertEquals(0, left.count(), "the spool file is gone");
        }
    }

    @Test
    void put_overLimit_throwsAndStoresNothing_inMemoryAndSpooled() throws IOException {
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> messages.put("abc", new ByteArrayInputStream(new byte[101]), 100));
        assertEquals(100, e.limit());
        assertThrows(MessageTooLargeException.class,
                () -> messages.put("big", new ByteArrayInputStream(random(2 << 20)), (2 << 20) - 1));
        assertEquals(List.of(), objects());
        try (var left = Files.list(spool)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void put_failingStream_storesNothing() throws IOException {
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 2_000_000) {
                    throw new IOException("connection reset");
                }
                return 7;
            }
        };
        assertThrows(IOException.class, () -> messages.put("abc", broken, 8 << 20));
        assertEquals(List.of(), objects());
        assertThrows(NoSuchFileException.class, () -> messages.open("abc"));
    }

    @Test
    void put_existingKey_throwsAndKeepsOriginal() throws IOException {
        messages.put("abc", new ByteArrayInputStream(new byte[] {1}), 10);
        assertThrows(FileAlreadyExistsException.class, () -> messages.put("abc", new ByteArrayInputStream(new byte[] {2}), 10));
        try (InputStream in = messages.open("abc")) {
            assertArrayEquals(new byte[] {1}, in.readAllBytes());
        }
    }

    @Test
    void delete_removesOnce() throws IOException {
        messages.put("abc", new ByteArrayInputStream(new byte[] {1}), 10);
        assertTrue(messages.delete("abc"));
        assertFalse(messages.delete("abc"));
        assertEquals(List.of(), objects());
    }

    @Test
    void keys_withPathCharacters_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> messages.open("../relay.db"));
        assertThrows(IllegalArgumentException.class, () -> messages.put("a/b", InputStream.nullInputStream(), 1));
    }

    @Test
    void connect_toMissingBucket_saysSo() {
        IOException e = assertThrows(IOException.class, () -> S3TestBucket.connect("no-such-bucket"));
        assertTrue(e.getMessage().contains("no-such-bucket") && e.getMessage().contains("create it first"), e.getMessage());
    }
}
