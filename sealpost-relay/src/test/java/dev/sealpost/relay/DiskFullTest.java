package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay on a real disk that fills up: a 24 MiB tmpfs mounted for the test (needs root, as
 * CI runs; skipped with a message otherwise).
 */
class DiskFullTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    Path mount;
    RelayServer relay;
    TestClient client;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = tmp.resolve("disk");
        Files.createDirectories(mount);
        boolean mounted = false;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString())
                    .redirectErrorStream(true).start();
            mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            mounted = false;
        }
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs (not root?): disk-full tests skipped");
    }

    /** Starts the relay on the small disk, keeping {@code reserve} bytes free. */
    private void start(long reserve) throws IOException {
        relay = RelayServer.start(RelayConfig.defaults(mount.resolve("relay")).withPort(0).withMaxUploadBytes(64L * MIB)
                .withStorage(new RelayConfig.Storage(1L << 40, reserve)));
        client = new TestClient(relay);
    }

    @Test
    void uploadLargerThanTheFreeSpaceLessTheReserve_is507AtCreation_beforeAnyByte() throws Exception {
        start(4L * MIB);
        String alice = client.account("alice");
        HttpResponse<String> big = client.createUpload(alice, 22L * MIB);
        assertEquals(507, big.statusCode(), big.body());
        assertTrue(big.body().contains("short of disk space"), big.body());
        HttpResponse<String> small = client.createUpload(alice, 1L * MIB);
        assertEquals(201, small.statusCode(), small.body());
    }

    @AfterEach
    void unmount() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void patchThatFillsTheDisk_answers507_keepsNothingUndurable_andTheRelayWorksOn() throws Exception {
        start(0); // no reserve: the disk really fills up
        String alice = client.account("alice");
        client.account("bob");
        HttpResponse<String> created = client.createUpload(alice, 16L * MIB);
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        // something else takes most of the disk after the upload was admitted
        Files.write(mount.resolve("filler"), new byte[12 * MIB]);

        HttpResponse<String> patch = client.patch(alice, id, 0, new byte[16 * MIB]);
        assertEquals(507, patch.statusCode(), "a full disk is not success: " + patch.statusCode() + " " + patch.body());
        assertTrue(patch.body().contains("\"error\""), patch.body());
        assertTrue(patch.headers().firstValue("Retry-After").isPresent());

        HttpResponse<String> head = client.head(alice, id);
        assertEquals(200, head.statusCode());
        long durable = Long.parseLong(head.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());
        Path file = mount.resolve("relay").resolve("uploads").resolve(id);
        assertEquals(durable, Files.exists(file) ? Files.size(file) : 0, "the file is cut back to its durable offset");

        // the space came back: logins, messages and deletions work again, without a restart
        client.account("carol");
        HttpResponse<String> sent = client.sendMessage(alice, "sealed".getBytes(), List.of("bob"), List.of());
        assertEquals(201, sent.statusCode(), sent.body());
        HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(relay.uri().resolve(Api.UPLOAD.replace("{id}", id)))
                .header("Authorization", "Bearer " + alice).header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build());
        assertEquals(204, deleted.statusCode(), deleted.body());
    }
}
