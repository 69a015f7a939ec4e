package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;

import dev.sealpost.relay.RelayConfig;
import dev.sealpost.relay.RelayServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session the relay no longer accepts: one line telling the user to log in, and login fixes it. */
class TokenExpiryTest {
    @TempDir Path root;

    /** A clock the test moves forward; the relay reads it for token expiry. */
    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private final MovableClock clock = new MovableClock();

    /** A relay on {@link #clock} whose tokens last one hour. */
    private RelayServer relay() throws java.io.IOException {
        return RelayServer.start(RelayConfig.defaults(root.resolve("relay")).withHost("127.0.0.1").withPort(0)
                .withTokenTtl(Duration.ofHours(1)), clock);
    }

    private Cli.Person registeredAlice(RelayServer server) {
        Cli.Person alice = Cli.Person.at(root, "alice");
        alice.must("init", "--name", "alice", "--suite", "p256");
        alice.must("register", "--relay", server.uri().toString(), "--relay-fingerprint",
                server.certificateFingerprint().toString());
        return alice;
    }

    @Test
    void inbox_afterTokenExpired_failsWithLoginHintThenLoginWorks() throws Exception {
        try (RelayServer server = relay()) {
            Cli.Person alice = registeredAlice(server);
            alice.must("inbox");

            clock.now.set(clock.instant().plus(Duration.ofHours(2)));
            Cli.Result r = alice.run("inbox");

            assertEquals(4, r.code(), r.toString());
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(r.err().contains("token expired") && r.err().contains("sealpost login"), r.toString());
            alice.must("login");
            alice.must("inbox");
        }
    }

    /**
     * A message is posted with a fixed length (streamed), where the JDK treats a 401 answer
     * apart from other errors and may drop the answer's body: the caller must still learn that
     * the token was refused, which is what makes the command line add "run sealpost login".
     */
    @Test
    void postMessage_afterTokenExpired_saysTheTokenWasRefused() throws Exception {
        try (RelayServer server = relay()) {
            RelayClient client = EndToEndTest.client(registeredAlice(server));
            client.messages().inbox();

            clock.now.set(clock.instant().plus(Duration.ofHours(2)));
            RelayException.Refused e = assertThrows(RelayException.Refused.class,
                    () -> client.messages().send(new byte[4096], List.of("alice"), List.of()));

            assertEquals(401, e.status(), e.getMessage());
            // the relay's words, or the client's when the JDK dropped them; either names the token
            assertTrue(e.getMessage().equals("relay: token expired; log in again")
                    || e.getMessage().equals("relay: token rejected; log in again"), e.getMessage());
        }
    }
}
