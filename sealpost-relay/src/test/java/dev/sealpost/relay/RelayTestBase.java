package dev.sealpost.relay;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real relay per test: port 0, a fresh data directory, real TLS and SQLite, a clock to move. */
abstract class RelayTestBase {
    @TempDir
    Path dataDir;
    MutableClock clock;
    RelayServer relay;
    TestClient client;

    /** Override to checkpoint uploads more often than every 64 MiB. */
    long uploadCheckpointBytes() {
        return Uploads.DEFAULT_CHECKPOINT_BYTES;
    }

    /** Override to change the configuration of the relay under test. */
    RelayConfig configure(RelayConfig defaults) {
        return defaults;
    }

    @BeforeEach
    void startRelay() throws IOException {
        clock = MutableClock.startingNow();
        relay = RelayServer.start(configure(RelayConfig.defaults(dataDir).withPort(0)), clock, uploadCheckpointBytes());
        client = new TestClient(relay);
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    /** Stops the relay and starts a new one on the same data directory. */
    void restart() throws IOException {
        relay.close();
        relay = RelayServer.start(configure(RelayConfig.defaults(dataDir).withPort(0)), clock, uploadCheckpointBytes());
        client = new TestClient(relay);
    }
}
