package dev.sealpost.client.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.Suite;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.relay.RateLimit;
import dev.sealpost.relay.RelayConfig;
import dev.sealpost.relay.RelayServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay client's layers against a real relay on 127.0.0.1, port 0, over real TLS with a
 * real SQLite file: the error mapping, tus uploads with resume, ranged downloads, and the event
 * stream across a relay restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayClientTest {
    private static final char[] PASSWORD = "correct horse battery".toCharArray();

    @TempDir
    static Path dir;
    RelayServer server;
    RelayClient alice;
    RelayClient bob;

    @BeforeAll
    void start() throws IOException {
        server = RelayServer.start(RelayConfig.defaults(dir).withHost("127.0.0.1").withPort(0)
                .withRateLimit(RateLimit.LOGIN, new RateLimit.Limit(6, Duration.ofMinutes(15))));
        alice = account("alice");
        bob = account("bob");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private RelayClient anonymous() {
        return RelayClient.connect(server.uri(), server.certificateFingerprint());
    }

    private RelayClient account(String name) throws IOException {
        RelayClient c = anonymous();
        c.accounts().register(name, PASSWORD);
        RelayClient authed = c.withToken(c.accounts().login(name, PASSWORD).token());
        Identity id = Identity.generate(name, Suite.P256);
        authed.accounts().publishKeys(new KeyBundle(name, Pem.encodeCertificate(id.signingCertificate()),
                Pem.encodeCertificate(id.encryptionCertificate())));
        return authed;
    }

    @Test
    void closedPort_isUnreachable_namingTheRelay() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RelayClient gone = RelayClient.connect(URI.create("https://127.0.0.1:" + port), server.certificateFingerprint());
        RelayException.Unreachable e = assertThrows(RelayException.Unreachable.class, () -> gone.accounts().keys("alice"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port) && e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void anotherCertificate_isUntrusted_namingBothFingerprints() {
        Fingerprint other = Fingerprint.of(Identity.generate("mallory", Suite.P256).signingCertificate());
        RelayClient pinnedElsewhere = RelayClient.connect(server.uri(), other);
        RelayException.Untrusted e = assertThrows(RelayException.Untrusted.class, () -> pinnedElsewhere.accounts().keys("alice"));
        assertTrue(e.getMessage().contains(server.certificateFingerprint().toString()) && e.getMessage().contains(other.toString()),
                e.getMessage());
    }

    @Test
    void errorStatuses_areRefusedWithTheRelaysReason_andNeverTheSecret() throws IOException {
        RelayException.Refused taken = assertThrows(RelayException.Refused.class, () -> anonymous().accounts().register("alice", PASSWORD));
        assertEquals(409, taken.status());
        RelayException.Refused unknown = assertThrows(RelayException.Refused.class, () -> alice.accounts().keys("nobody"));
        assertEquals(404, unknown.status());
        assertTrue(unknown.getMessage().startsWith("relay: "), unknown.getMessage());
        RelayException.Refused wrong = assertThrows(RelayException.Refused.class,
                () -> anonymous().accounts().login("bob", "wrong password!".toCharArray()));
        assertEquals(401, wrong.status());
        assertFalse(wrong.getMessage().contains("wrong password!"), wrong.getMessage());
        RelayException.Refused noToken = assertThrows(RelayException.Refused.class, () -> anonymous().messages().inbox());
        assertEquals(401, noToken.status());
    }

    @Test
    void tooManyLogins_areRateLimited_withRetryAfter() throws IOException {
        anonymous().accounts().register("carol", PASSWORD);
        RelayException.RateLimited limited = null;
        for (int i = 0; i < 20 && limited == null; i++) { // the test relay allows 6 per 15 minutes
            try {
                anonymous().accounts().login("carol", "not the password".toCharArray());
            } catch (RelayException.RateLimited e) {
                limited = e;
            } catch (RelayException.Refused e) {
                assertEquals(401, e.status());
            }
        }
        assertTrue(limited != null, "no 429 after 20 failed logins");
        assertTrue(limited.retryAfterSeconds().orElse(0) > 0, "Retry-After: " + limited.retryAfterSeconds());
    }

    @Test
    void tusUpload_resumesFromTheRelaysOffset_andARangedDownloadReturnsTheRest() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        TusUploads uploads = alice.uploads();
        String id = uploads.create(data.length);
        assertEquals(0, uploads.offset(id));

        long half = uploads.append(id, 0, data.length / 2, sink -> sink.write(ByteBuffer.wrap(data, 0, data.length / 2)));
        assertEquals(data.length / 2, half);
        assertEquals(half, uploads.offset(id), "a new connection sees the durable offset");
        RelayException.Refused conflict = assertThrows(RelayException.Refused.class,
                () -> uploads.append(id, 0, 10, sink -> sink.write(ByteBuffer.wrap(data, 0, 10))));
        assertEquals(409, conflict.status());
        assertEquals(data.length, uploads.append(id, half, data.length - half,
                sink -> sink.write(ByteBuffer.wrap(data, (int) half, (int) (data.length - half)))));

        String message = alice.messages().send(new byte[] {1, 2, 3}, List.of("bob"), List.of(id)).id();

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        bob.blobs().download(message, id, 0, data.length, body -> Channels.newInputStream(body).transferTo(whole));
        assertArrayEquals(data, whole.toByteArray());
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        int from = data.length - 12345;
        bob.blobs().download(message, id, from, data.length, body -> Channels.newInputStream(body).transferTo(rest));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, from, data.length), rest.toByteArray());

        RelayException.Refused wrongSize = assertThrows(RelayException.Refused.class,
                () -> bob.blobs().download(message, id, 0, data.length + 1, body -> Channels.newInputStream(body).readAllBytes()));
        assertEquals(502, wrongSize.status(), "the signed size and the relay's differ");
        RelayException.Refused notHers = assertThrows(RelayException.Refused.class,
                () -> anonymous().withToken("x").blobs().download(message, id, 0, data.length, body -> {}));
        assertEquals(401, notHers.status());
        bob.messages().acknowledge(message);
    }

    @Test
    void aWriterThatFails_surfacesItsOwnError_notAConnectionError() throws IOException {
        TusUploads uploads = alice.uploads();
        String id = uploads.create(1000);
        IOException own = new IOException("disk read failed");
        IOException e = assertThrows(IOException.class, () -> uploads.append(id, 0, 1000, sink -> {
            sink.write(ByteBuffer.wrap(new byte[100]));
            throw own;
        }));
        assertTrue(e == own, "got " + e);
        assertTrue(uploads.offset(id) <= 100);
        uploads.delete(id);
        assertEquals(-1, uploads.offset(id));
    }

    @Test
    void eventStream_deliversNewMail_andFollowsAgainAfterTheRelayRestarts() throws Exception {
        Path data = dir.resolve("events-relay");
        RelayServer first = RelayServer.start(RelayConfig.defaults(data).withHost("127.0.0.1").withPort(0));
        int port = first.port();
        RelayClient dave = client(first, "dave");
        RelayClient erin = client(first, "erin");

        BlockingQueue<MessageSummary> seen = new ArrayBlockingQueue<>(4);
        CompletableFuture<Void> opened = new CompletableFuture<>();
        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            try {
                erin.events().follow(() -> opened.complete(null), seen::add);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        opened.get(10, TimeUnit.SECONDS);
        String id = dave.messages().send(new byte[] {4, 5, 6}, List.of("erin"), List.of()).id();
        MessageSummary pushed = seen.poll(10, TimeUnit.SECONDS);
        assertEquals(id, pushed == null ? null : pushed.id());
        assertEquals("dave", pushed.sender());

        first.close();
        Throwable end = ended.get(20, TimeUnit.SECONDS);
        assertTrue(end == null || end instanceof RelayException.Unreachable, "stream ended with " + end);

        try (RelayServer second = RelayServer.start(RelayConfig.defaults(data).withHost("127.0.0.1").withPort(port))) {
            assertEquals(first.certificateFingerprint(), second.certificateFingerprint(), "the pin still holds");
            CompletableFuture<Void> reopened = new CompletableFuture<>();
            CompletableFuture<Void> again = CompletableFuture.runAsync(() -> {
                try {
                    erin.events().follow(() -> reopened.complete(null), seen::add);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reopened.get(10, TimeUnit.SECONDS);
            String next = dave.messages().send(new byte[] {7}, List.of("erin"), List.of()).id();
            MessageSummary second1 = seen.poll(10, TimeUnit.SECONDS);
            assertEquals(next, second1 == null ? null : second1.id());
            again.cancel(true);
        }
    }

    /** A new account on {@code relay}, logged in. */
    private static RelayClient client(RelayServer relay, String name) throws IOException {
        RelayClient c = RelayClient.connect(relay.uri(), relay.certificateFingerprint());
        c.accounts().register(name, PASSWORD);
        return c.withToken(c.accounts().login(name, PASSWORD).token());
    }
}
