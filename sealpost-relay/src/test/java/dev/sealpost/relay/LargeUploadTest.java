package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * 128 MiB generated on the fly through PATCH and back through GET, compared by SHA-256: nothing
 * holds it whole (256 MiB takes about 11 s on a 2-core machine, mostly TLS and hashing).
 */
class LargeUploadTest extends RelayTestBase {
    static final long SIZE = 128L << 20;

    static byte[] sha256(byte[] b) {
        return digest().digest(b);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pseudo-random bytes from a seed, {@code size} of them, hashed as they are read. */
    static final class Generated extends InputStream {
        private final SplittableRandom random;
        private final MessageDigest sha = digest();
        private long remaining;

        Generated(long seed, long size) {
            this.random = new SplittableRandom(seed);
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i += 8) {
                long r = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b[off + i + j] = (byte) (r >>> (8 * j));
                }
            }
            sha.update(b, off, n);
            remaining -= n;
            return n;
        }
    }

    @Test
    void largeBlob_streamsThroughPatchAndGet() throws Exception {
        String alice = client.account("alice");
        String bob = client.account("bob");
        String id = client.upload(alice, SIZE);
        Generated source = new Generated(42, SIZE);

        HttpResponse<String> patch = client.http.send(client.request(Api.UPLOADS + "/" + id, alice)
                .timeout(java.time.Duration.ofMinutes(5))
                .header(Api.TUS_RESUMABLE, Api.TUS_VERSION)
                .header("Content-Type", Api.OFFSET_OCTET_STREAM)
                .header(Api.UPLOAD_OFFSET, "0")
                .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> source), SIZE))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, patch.statusCode(), patch.body());
        assertEquals(Long.toString(SIZE), patch.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());

        HttpResponse<String> m = client.sendMessage(alice, "sealed".getBytes(), List.of("bob"), List.of(id));
        assertEquals(201, m.statusCode(), m.body());
        HttpResponse<InputStream> get = client.http.send(client.request(
                Api.MESSAGES + "/" + client.read(m, SendResponse.class).id() + "/blobs/" + id, bob).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, get.statusCode());
        MessageDigest sha = digest();
        long total = 0;
        try (InputStream in = get.body()) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) != -1; ) {
                sha.update(buffer, 0, n);
                total += n;
            }
        }
        assertEquals(SIZE, total);
        assertArrayEquals(source.sha.digest(), sha.digest());
    }
}
