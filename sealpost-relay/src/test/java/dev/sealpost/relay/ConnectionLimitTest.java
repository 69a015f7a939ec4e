package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** Issue 11: connections are bounded per client address and in total. */
class ConnectionLimitTest extends RelayTestBase {

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults.withConnections(new RelayConfig.Connections(3, 2, Duration.ofSeconds(20), Duration.ofSeconds(20)));
    }

    /** A TLS connection from {@code from} with its handshake done. */
    SSLSocket connect(String from) throws IOException {
        SSLSocket socket = (SSLSocket) TestClient.trusting(relay.certificate()).getSocketFactory().createSocket();
        socket.setSoTimeout(10_000);
        socket.bind(new InetSocketAddress(InetAddress.ofLiteral(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), relay.port()), 10_000);
        socket.startHandshake();
        return socket;
    }

    /** Connects from {@code from}, retrying while the relay has not yet seen an earlier connection close. */
    SSLSocket connectEventually(String from) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return connect(from);
            } catch (IOException e) {
                if (attempt == 50) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void connection_overLimitPerAddress_isClosedAtOnce() throws Exception {
        try (SSLSocket first = connect("127.0.0.1"); SSLSocket second = connect("127.0.0.1")) {
            assertThrows(IOException.class, () -> connect("127.0.0.1"), "a third connection completed its handshake");
            second.close();
            try (SSLSocket again = connectEventually("127.0.0.1")) {
                assertFalse(again.isClosed());
            }
        }
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
    }

    @Test
    void connection_overTotalLimit_waitsUntilOneCloses() throws Exception {
        try (SSLSocket a = connect("127.0.0.1"); SSLSocket b = connect("127.0.0.1"); SSLSocket c = connect("127.0.0.2")) {
            CompletableFuture<SSLSocket> fourth = CompletableFuture.supplyAsync(() -> {
                try {
                    return connect("127.0.0.3");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertFalse(fourth.isDone(), "accepted over the total limit");
            a.close();
            try (SSLSocket d = fourth.get(10, TimeUnit.SECONDS)) {
                assertFalse(d.isClosed());
            }
        }
    }
}
