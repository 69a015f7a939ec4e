package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SendResponse;
import dev.sealpost.relay.store.S3TestBucket;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relay on a real S3-compatible store (s3proxy): sealed messages and uploads in the bucket, nothing
 * of them in the data directory; an upload sent in pieces that end between part boundaries resumes
 * exactly; blobs download whole and by range; acknowledgement and expiry leave the bucket empty; a
 * restart keeps what was stored.
 */
class S3RelayTest extends RelayTestBase {
    static final long PART = 5L << 20;
    String bucket;

    @Override
    RelayConfig configure(RelayConfig defaults) {
        try {
            if (bucket == null) {
                bucket = S3TestBucket.newBucket();
            }
            return defaults.withObjectStorage(new RelayConfig.ObjectStorage(S3TestBucket.proxy().endpoint(), bucket,
                    RelayConfig.ObjectStorage.DEFAULT_REGION, PART));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> objects() throws IOException {
        return S3TestBucket.proxy().objects(bucket);
    }

    private void awaitEmptyBucket() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!objects().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), objects());
    }

    @Test
    void uploadInPieces_sendFetchRangeAcknowledge_leavesNothing() throws Exception {
        String alice = client.account("alice");
        String bob = client.account("bob");
        byte[] data = UploadsTest.random((int) (2 * PART + 4321), 11);
        String id = client.upload(alice, data.length);
        long[] cuts = {1 << 20, (6L << 20) + 17, data.length}; // a tail, across part 1's end, the rest
        long offset = 0;
        for (long cut : cuts) {
            HttpResponse<String> r = client.patch(alice, id, offset, Arrays.copyOfRange(data, (int) offset, (int) cut));
            assertEquals(204, r.statusCode(), r.body());
            assertEquals(cut, client.offset(alice, id), "every byte of a PATCH that ended is durable");
            offset = cut;
        }
        byte[] sealed = UploadsTest.random(3 << 20, 12); // over the 1 MiB a node holds in memory
        HttpResponse<String> m = client.sendMessage(alice, sealed, List.of("bob"), List.of(id));
        assertEquals(201, m.statusCode(), m.body());
        String messageId = client.read(m, SendResponse.class).id();
        assertEquals(List.of("messages/" + messageId, "uploads/" + id), objects().stream()
                .filter(k -> k.startsWith("messages/") || k.startsWith("uploads/")).toList());
        try (var uploadsFolder = Files.list(dataDir)) {
            assertFalse(uploadsFolder.anyMatch(p -> p.getFileName().toString().equals("uploads")
                    || p.getFileName().toString().equals("blobs")), "nothing of them in the data directory");
        }

        restart(); // a node holds nothing of them: another (or this one again) serves them
        HttpResponse<byte[]> fetched = client.sendForBytes(client.request(Api.MESSAGES + "/" + messageId, bob).GET().build());
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(sealed, fetched.body());
        assertArrayEquals(data, client.blob(bob, messageId, id, null).body());
        HttpResponse<byte[]> range = client.blob(bob, messageId, id, "bytes=5000000-6000000");
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 5_000_000, 6_000_001), range.body());

        assertEquals(204, client.send(client.request(Api.MESSAGES + "/" + messageId, bob).DELETE().build()).statusCode());
        awaitEmptyBucket();
    }

    @Test
    void deletedAndExpiredUploads_leaveNothingInTheBucket() throws Exception {
        String alice = client.account("alice");
        byte[] data = UploadsTest.random((int) PART + 100, 13);
        String deleted = client.upload(alice, data.length);
        assertEquals(204, client.patch(alice, deleted, 0, Arrays.copyOf(data, 1000)).statusCode());
        String abandoned = client.upload(alice, data.length);
        assertEquals(204, client.patch(alice, abandoned, 0, Arrays.copyOf(data, (int) PART + 10)).statusCode());
        assertTrue(objects().stream().anyMatch(k -> k.startsWith("uploads/" + abandoned)), "its tail is stored");
        String empty = client.upload(alice, 0);

        assertEquals(204, client.send(client.request(Api.UPLOADS + "/" + deleted, alice)
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build()).statusCode());
        clock.advance(RelayConfig.DEFAULT_UPLOAD_TTL.plusMinutes(1));
        relay.housekeeping();
        assertTrue(empty != null);
        // s3proxy keeps a multipart upload's parts as files until it is aborted: none may be left
        awaitEmptyBucket();
    }
}
