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

    /** Fills the small disk to the last byte with files named {@code filler*}; @return bytes written. */
    private long fillDisk() {
        long written = 0;
        int n = 0;
        for (int chunk = MIB; chunk >= 512; chunk /= 8) {
            byte[] b = new byte[chunk];
            while (true) {
                try (var out = Files.newOutputStream(mount.resolve("filler" + n++))) {
                    out.write(b);
                    written += chunk;
                } catch (IOException full) {
                    break;
                }
            }
        }
        return written;
    }

    private void emptyFiller() throws IOException {
        try (var s = Files.newDirectoryStream(mount, "filler*")) {
            for (Path p : s) {
                Files.delete(p);
            }
        }
    }

    private List<Path> files(String folder) throws IOException {
        try (var s = Files.walk(mount.resolve("relay").resolve(folder))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private HttpResponse<String> delete(String token, String path) {
        return client.send(HttpRequest.newBuilder(relay.uri().resolve(path))
                .header("Authorization", "Bearer " + token).header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build());
    }

    @Test
    void deletingAnUploadOnAFullDisk_freesItsFile_andTheRelayRecoversByItself() throws Exception {
        start(0);
        String alice = client.account("alice");
        String id = client.upload(alice, 6L * MIB);
        assertEquals(204, client.patch(alice, id, 0, new byte[6 * MIB]).statusCode());
        fillDisk();

        HttpResponse<String> deleted = delete(alice, Api.UPLOADS + "/" + id);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertTrue(Files.notExists(mount.resolve("relay").resolve("uploads").resolve(id)));
        assertEquals(404, client.head(alice, id).statusCode());
        // the space it gave back is enough for the relay's own writes: a new account and its login
        client.account("bob");
    }

    @Test
    void messagePostThatFillsTheDisk_is507_storesNothing_andTheRelayWorksOn() throws Exception {
        start(0);
        String alice = client.account("alice");
        String bob = client.account("bob");
        // admitted with room for it; then the disk fills while its body streams in
        java.util.concurrent.CountDownLatch full = new java.util.concurrent.CountDownLatch(1);
        byte[] body = new byte[8 * MIB];
        java.io.InputStream slow = new java.io.InputStream() {
            int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at == MIB) {
                    try {
                        full.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                if (at == body.length) {
                    return -1;
                }
                int n = Math.min(len, (at < MIB ? MIB : body.length) - at);
                System.arraycopy(body, at, b, off, n);
                at += n;
                return n;
            }
        };
        var pending = client.http.sendAsync(client.request(TestClient.messagesTo("bob"), alice)
                .header("Content-Type", Api.SEALED_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> slow), body.length))
                .build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (files("blobs").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // the relay has begun to write the message
        }
        fillDisk();
        full.countDown();
        HttpResponse<String> r = pending.get(20, TimeUnit.SECONDS);
        assertEquals(507, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        assertEquals(List.of(), files("blobs"), "no message file, whole or partial");

        emptyFiller();
        assertEquals("{\"messages\":[]}", client.get(Api.MESSAGES, bob).body());
        HttpResponse<String> ok = client.sendMessage(alice, "sealed".getBytes(), "bob");
        assertEquals(201, ok.statusCode(), ok.body());
    }

    @Test
    void acknowledgementOnAFullDisk_losesNothing() throws Exception {
        start(0);
        String alice = client.account("alice");
        String bob = client.account("bob");
        String carol = client.account("carol");
        HttpResponse<String> sent = client.sendMessage(alice, "sealed for two".getBytes(), "bob", "carol");
        assertEquals(201, sent.statusCode(), sent.body());
        String m = client.read(sent, dev.sealpost.protocol.SendResponse.class).id();
        fillDisk();

        HttpResponse<String> ack = delete(bob, Api.MESSAGES + "/" + m);
        // acknowledged, or refused with 507 and still there: never a 500, never lost for carol
        assertTrue(ack.statusCode() == 204 || ack.statusCode() == 507, ack.statusCode() + " " + ack.body());
        assertEquals(ack.statusCode() == 204 ? 404 : 200, client.get(Api.MESSAGES + "/" + m, bob).statusCode());
        assertEquals("sealed for two", client.get(Api.MESSAGES + "/" + m, carol).body());

        emptyFiller();
        if (ack.statusCode() == 507) {
            assertEquals(204, delete(bob, Api.MESSAGES + "/" + m).statusCode());
        }
        assertEquals("sealed for two", client.get(Api.MESSAGES + "/" + m, carol).body());
        assertEquals(204, delete(carol, Api.MESSAGES + "/" + m).statusCode());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!files("blobs").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), files("blobs"), "the last acknowledgement deletes the message's file");
    }

    /** Deletes filler files until at least {@code bytes} are free. */
    private void emptyFillerBytes(long bytes) throws IOException {
        try (var s = Files.newDirectoryStream(mount, "filler*")) {
            for (Path p : s) {
                if (Files.getFileStore(mount).getUsableSpace() >= bytes) {
                    return;
                }
                Files.delete(p);
            }
        }
    }
}
