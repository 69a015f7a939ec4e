package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed-message contract on a real S3-compatible store (s3proxy), and messages over the 1 MiB held in memory. */
class S3SealedMessageStoreTest extends SealedMessageStoreContract {
    @TempDir
    Path spool;
    String bucketName;
    S3Bucket bucket;

    @Override
    SealedMessageStore open() throws IOException {
        bucketName = S3TestBucket.newBucket();
        bucket = S3TestBucket.connect(bucketName);
        return Stores.sealedMessages(bucket, spool);
    }

    @Override
    List<String> stored() throws IOException {
        return S3TestBucket.proxy().objects(bucketName);
    }

    @AfterEach
    void close() {
        bucket.close();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void put_thenOpen_returnsSameBytes_spooledToo() throws IOException {
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
        assertEquals(List.of("messages/abc", "messages/big"), stored());
        assertEquals(List.of("abc", "big"), messages.keysOlderThan(Instant.now().plusSeconds(60)).stream().sorted().toList());
        assertEquals(List.of(), messages.keysOlderThan(Instant.now().minusSeconds(3600)), "a cutoff spares younger messages");
        try (var left = Files.list(spool)) {
            assertEquals(0, left.count(), "the spool file is gone");
        }
    }

    @Test
    void put_overLimit_spooled_throwsAndStoresNothing() throws IOException {
        assertThrows(MessageTooLargeException.class,
                () -> messages.put("big", new ByteArrayInputStream(random(2 << 20)), (2 << 20) - 1));
        assertEquals(List.of(), stored());
        try (var left = Files.list(spool)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void connect_toMissingBucket_saysSo() {
        IOException e = assertThrows(IOException.class, () -> S3TestBucket.connect("no-such-bucket"));
        assertTrue(e.getMessage().contains("no-such-bucket") && e.getMessage().contains("create it first"), e.getMessage());
    }
}
