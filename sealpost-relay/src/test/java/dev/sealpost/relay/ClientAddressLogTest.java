package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sealpost.protocol.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With {@link RelayConfig.Observability#logClientAddresses()} the access log names the client's address, last. */
class ClientAddressLogTest extends RelayTestBase {
    AccessLog log;

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults.withObservability(RelayConfig.Observability.OFF.withClientAddresses(true));
    }

    @BeforeEach
    void capture() {
        log = new AccessLog(AccessLog.ACCESS);
    }

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void accessLines_endWithTheClientAddress_whenAskedFor() {
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
        log.awaitAccessLine("method=GET route=/v1/health status=200 ms=[0-9.]+ in=0 out=\\d+ id=[0-9a-f]{16} client=127\\.0\\.0\\.1");
        assertEquals(java.util.Optional.empty(), relay.metricsUri(), "metrics stay off");
    }
}
