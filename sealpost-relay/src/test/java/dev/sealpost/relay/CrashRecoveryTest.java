package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SendResponse;
import dev.sealpost.relay.store.CrashPoints;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGKILL at each durable step ({@link CrashPoints}): a relay in its own JVM is killed at the
 * named point of a workload (an upload, a message referencing it, a download, both
 * acknowledgements, an upload deleted, one more message), restarted on the same data folder,
 * and then: everything it had acknowledged is there, the workload finishes from where it broke
 * (as a client that retries would), and no file is left that no row names.
 */
class CrashRecoveryTest {
    static final byte[] UPLOAD = UploadsTest.random(2 * 1024 * 1024 + 123, 11);
    static final byte[] M1 = "sealed M1, naming upload U".getBytes(StandardCharsets.UTF_8);
    static final byte[] M2 = "sealed M2".getBytes(StandardCharsets.UTF_8);
    /** The workload step each point kills the relay in. */
    static final Map<String, Integer> STEP_OF = Map.of(
            CrashPoints.UPLOAD_WRITTEN, 0, CrashPoints.UPLOAD_FORCED, 0, CrashPoints.UPLOAD_RECORDED, 0,
            CrashPoints.MESSAGE_WRITTEN, 1, CrashPoints.MESSAGE_RENAMED, 1, CrashPoints.MESSAGE_COMMITTED, 1,
            CrashPoints.ACK_COMMITTED, 4, CrashPoints.UPLOAD_FILE_DELETED, 5);
    static final int STEPS = 7;

    @TempDir
    Path dir;
    Process relay;
    TestClient client;
    // the workload's state, kept across the crash as a client would keep it
    String alice;
    String bob;
    String carol;
    String u;
    String m1;
    String v;

    static List<String> points() {
        assertEquals(CrashPoints.ALL.size(), STEP_OF.size());
        return CrashPoints.ALL;
    }

    @AfterEach
    void kill() throws InterruptedException {
        if (relay != null) {
            relay.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("points")
    void killedAt_recoversWithNothingAcknowledgedLost(String point) throws Exception {
        start(point);
        alice = client.account("alice");
        bob = client.account("bob");
        carol = client.account("carol");
        int done = 0;
        try {
            for (; done < STEPS; done++) {
                step(done);
            }
        } catch (UncheckedIOException broken) {
            // the relay died under the request
        }
        assertTrue(relay.waitFor(20, TimeUnit.SECONDS), "the relay was killed");
        assertEquals(137, relay.exitValue(), "killed by SIGKILL");
        assertEquals(STEP_OF.get(point), done, "killed in the step that passes " + point);

        start(null);
        acknowledgedStateIsThere(done);
        for (int s = done; s < STEPS; s++) {
            step(s);
        }
        // the end state of a run without a crash: M2 for bob, nothing else kept
        assertEquals(List.of(M2.length), inbox(bob).stream().map(m -> (int) m.size()).toList());
        assertEquals(List.of(), inbox(carol));
        awaitFiles("uploads", 0);
        awaitFiles("blobs", 1);
    }

    /** Runs step {@code s} of the workload; each may be run again after a crash in it. */
    private void step(int s) {
        switch (s) {
            case 0 -> { // upload U: 2 MiB, one checkpoint at its end
                if (u == null) {
                    u = client.upload(alice, UPLOAD.length);
                }
                int from = (int) client.offset(alice, u);
                HttpResponse<String> r = client.patch(alice, u, from, java.util.Arrays.copyOfRange(UPLOAD, from, UPLOAD.length));
                assertEquals(204, r.statusCode(), r.body());
                assertEquals(Long.toString(UPLOAD.length), r.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());
            }
            case 1 -> { // send M1 to bob and carol with U; sent again after a crash, a committed M1 is not stored twice
                HttpResponse<String> r = client.sendMessage(alice, M1, List.of("bob", "carol"), List.of(u));
                assertEquals(201, r.statusCode(), r.body());
                m1 = client.read(r, SendResponse.class).id();
                assertEquals(List.of(m1), inbox(bob).stream().map(MessageSummary::id).toList());
            }
            case 2 -> { // bob downloads U by way of M1
                HttpResponse<byte[]> blob = client.blob(bob, m1, u, null);
                assertEquals(200, blob.statusCode());
                assertArrayEquals(LargeUploadTest.sha256(UPLOAD), LargeUploadTest.sha256(blob.body()));
            }
            case 3 -> assertAcknowledged(carol, m1);
            case 4 -> assertAcknowledged(bob, m1); // the last recipient: M1 and U's file go
            case 5 -> { // an upload created, completed and deleted
                if (v == null) {
                    v = client.upload(alice, 1024);
                    assertEquals(204, client.patch(alice, v, 0, new byte[1024]).statusCode());
                }
                HttpResponse<String> r = delete(alice, Api.UPLOADS + "/" + v);
                assertEquals(204, r.statusCode(), r.body());
            }
            case 6 -> assertEquals(201, client.sendMessage(alice, M2, "bob").statusCode());
            default -> throw new IllegalArgumentException("no step " + s);
        }
    }

    /** What the relay answered before the crash (steps before {@code done}) is still true. */
    private void acknowledgedStateIsThere(int done) {
        if (done == 0) {
            assertTrue(client.offset(alice, u) <= UPLOAD.length);
        }
        if (done >= 2 && done <= 3) { // M1 was answered 201 and neither has acknowledged it: both still have it
            assertArrayEquals(M1, client.sendForBytes(client.request(Api.MESSAGES + "/" + m1, bob).GET().build()).body());
            assertArrayEquals(M1, client.sendForBytes(client.request(Api.MESSAGES + "/" + m1, carol).GET().build()).body());
        }
        if (done >= 4) { // carol's acknowledgement was answered 204
            assertEquals(404, client.get(Api.MESSAGES + "/" + m1, carol).statusCode());
        }
    }

    private void assertAcknowledged(String token, String message) {
        HttpResponse<String> r = delete(token, Api.MESSAGES + "/" + message);
        // 404 only when retried after a crash that came after the acknowledgement was committed
        assertTrue(r.statusCode() == 204 || r.statusCode() == 404, r.statusCode() + " " + r.body());
        assertEquals(404, client.get(Api.MESSAGES + "/" + message, token).statusCode());
    }

    private List<MessageSummary> inbox(String token) {
        return client.read(client.get(Api.MESSAGES, token), MessageList.class).messages();
    }

    private HttpResponse<String> delete(String token, String path) {
        return client.send(client.request(path, token).header(Api.TUS_RESUMABLE, Api.TUS_VERSION).DELETE().build());
    }

    private void awaitFiles(String folder, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Path> files;
        while ((files = files(folder)).size() != count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(count, files.size(), folder + ": " + files);
    }

    private List<Path> files(String folder) throws IOException {
        Path d = dir.resolve("relay").resolve(folder);
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals("tmp")).toList();
        }
    }

    /** Starts the relay JVM, to crash at {@code point} (or never, if null), and a client of it. */
    private void start(String point) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        if (point != null) {
            cmd.add("-D" + CrashPoints.PROPERTY + "=" + point);
        }
        cmd.addAll(List.of(CrashingRelay.class.getName(), dir.resolve("relay").toString()));
        relay = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        String line;
        List<String> seen = new ArrayList<>();
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            seen.add(line);
        }
        assertNotNull(line, "the relay did not start: " + seen);
        String[] ready = line.split(" ");
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep its log from blocking it
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(ready[2])));
            client = new TestClient(Integer.parseInt(ready[1]), cert, null);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(e);
        }
    }
}
