package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command talks to the relay over one TLS connection, kept alive between its requests (key
 * lookup, upload, message; inbox, message, blob, acknowledgement): counted by a TCP forwarder
 * between the real client and the real relay, which sees every connection the client opens.
 */
class ConnectionReuseTest {
    private static final int LIMIT = 64 * 1024;

    @TempDir
    Path root;
    private RelayFixture relay;
    private Forwarder forwarder;

    @BeforeEach
    void start() throws Exception {
        relay = new RelayFixture(root.resolve("relay"), c -> c.withMaxMessageBytes(LIMIT));
        forwarder = new Forwarder(relay.server.port());
    }

    @AfterEach
    void stop() throws IOException {
        forwarder.close();
        relay.close();
    }

    /** A person registered through the forwarder. */
    private Cli.Person join(String name) {
        return join(name, "https://127.0.0.1:" + forwarder.port());
    }

    private Cli.Person join(String name, String relayUrl) {
        Cli.Person p = Cli.Person.at(root, name);
        p.must("init", "--name", name, "--suite", "p256");
        p.must("register", "--relay", relayUrl, "--relay-fingerprint", relay.fingerprint());
        return p;
    }

    @Test
    void sendAndReceive_streamedFile_oneConnectionEach() throws Exception {
        Cli.Person alice = join("alice");
        Cli.Person bob = join("bob");
        Path file = root.resolve("scan.bin");
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        Files.write(file, content);

        forwarder.connections.set(0);
        alice.must("send", "--to", "bob", "--file", file.toString(), "-m", "one connection", "--inline-limit", "1000");
        assertEquals(1, forwarder.connections.get(), "connections opened by send");

        forwarder.connections.set(0);
        Path out = root.resolve("out");
        Cli.Result r = bob.must("receive", "--out", out.toString());
        assertEquals(1, forwarder.connections.get(), "connections opened by receive");
        assertTrue(r.out().contains("one connection"), r.toString());
        assertArrayEquals(content, Files.readAllBytes(out.resolve("scan.bin")));
    }

    /** Straight to the relay, which answers 413 and stops reading long before the body ends. */
    @Test
    void send_messageFarOverTheLimit_relaysRefusalWins() throws Exception {
        join("alice", relay.url());
        Cli.Person bob = join("bob", relay.url());
        RelayClient client = EndToEndTest.client(bob);
        byte[] huge = new byte[512 * LIMIT]; // 32 MiB: far more than the relay reads before refusing

        RelayException.Refused e = assertThrows(RelayException.Refused.class, () -> client.messages().send(huge, List.of("alice"), List.of()));

        assertEquals(413, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertEquals(0, client.messages().inbox().size(), "the client still works after the refusal");
    }

    /** Forwards 127.0.0.1:port() to the relay, counting connections; bytes pass through untouched. */
    private static final class Forwarder implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket server;
        private final int target;

        Forwarder(int target) throws IOException {
            this.target = target;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("forwarder").start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connections.incrementAndGet();
                    Socket relay = new Socket(InetAddress.getLoopbackAddress(), target);
                    pump(client, relay);
                    pump(relay, client);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            Thread.ofPlatform().daemon().start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // one side went away
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
