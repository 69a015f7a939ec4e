package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** Issue 11: a client that sends its headers or body too slowly loses its connection. */
class SlowClientTest extends RelayTestBase {
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** Longest the test waits for the relay to close a connection. */
    static final long GIVE_UP_MILLIS = 6_000;

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults.withConnections(new RelayConfig.Connections(100, 100, HEADER_TIMEOUT, IDLE_TIMEOUT));
    }

    SSLSocket connect() throws IOException {
        SSLSocket socket = (SSLSocket) TestClient.trusting(relay.certificate()).getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 10_000);
        socket.startHandshake();
        return socket;
    }

    /** Reads until the relay closes the connection; completes with what it sent. */
    static CompletableFuture<String> readToEnd(SSLSocket socket) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "closed: " + e;
            }
        });
    }

    @Test
    void headers_oneLineEvery300ms_connectionClosedAfterHeaderTimeout() throws Exception {
        try (SSLSocket socket = connect()) {
            CompletableFuture<String> closed = readToEnd(socket);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(("GET " + Api.HEALTH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; !closed.isDone() && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS); i++) {
                try {
                    out.write(("X-Slow-" + i + ": still here\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    break; // closed by the relay
                }
                Thread.sleep(300);
            }
            closed.get(1, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= HEADER_TIMEOUT.toMillis() - 100 && millis < 4_000, "closed after " + millis + " ms");
        }
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
    }

    @Test
    void body_pausedLongerThanIdleTimeout_connectionEnds() throws Exception {
        try (SSLSocket socket = connect()) {
            CompletableFuture<String> closed = readToEnd(socket);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(("POST " + Api.SESSIONS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"name\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = closed.get(GIVE_UP_MILLIS, TimeUnit.MILLISECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= IDLE_TIMEOUT.toMillis() - 100, "closed after " + millis + " ms: " + answer);
        }
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
    }

    @Test
    void body_trickledBelowTheMinimumRate_endsTheRequest_andKeepsWhatArrived() throws Exception {
        String alice = client.account("alice");
        String id = client.upload(alice, 100_000);
        try (SSLSocket socket = connect()) {
            CompletableFuture<String> closed = readToEnd(socket);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + Api.UPLOADS + "/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + alice + "\r\n" + Api.TUS_RESUMABLE + ": " + Api.TUS_VERSION + "\r\n"
                    + "Content-Type: " + Api.OFFSET_OCTET_STREAM + "\r\n" + Api.UPLOAD_OFFSET + ": 0\r\n"
                    + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            // 100 bytes every 250 ms: 400 B/s, each pause far shorter than the idle timeout
            while (!closed.isDone() && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS + 4_000)) {
                try {
                    out.write(new byte[100]);
                    out.flush();
                } catch (IOException e) {
                    break;
                }
                Thread.sleep(250);
            }
            String answer = closed.get(2, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < GIVE_UP_MILLIS + 4_000, "still open after " + millis + " ms");
        }
        long kept = client.offset(alice, id);
        assertTrue(kept > 0 && kept < 100_000, "what arrived whole is kept: " + kept);
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
    }

    @Test
    void ordinaryRequests_onOneConnection_areNotCut() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
            Thread.sleep(HEADER_TIMEOUT.toMillis() / 2 * 3); // longer than the header deadline, shorter than idle
        }
    }
}
