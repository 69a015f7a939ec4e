package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayConfigTest {
    final RelayConfig defaults = RelayConfig.defaults(Path.of("data"));

    @Test
    void defaults_areLoopback8443WithApiLimitAndTtls() {
        assertEquals("127.0.0.1", defaults.host());
        assertEquals(8443, defaults.port());
        assertEquals(Api.DEFAULT_MAX_MESSAGE_BYTES, defaults.maxMessageBytes());
        assertEquals(Duration.ofHours(12), defaults.tokenTtl());
        assertEquals(Duration.ofDays(30), defaults.messageTtl());
        assertEquals(Api.DEFAULT_MAX_UPLOAD_BYTES, defaults.maxUploadBytes());
        assertEquals(Duration.ofHours(24), defaults.uploadTtl());
        for (RateLimit r : RateLimit.values()) {
            assertEquals(r.defaultLimit(), defaults.rateLimit(r));
        }
    }

    @Test
    void withRateLimit_changesOnlyThatLimit() {
        RateLimit.Limit one = new RateLimit.Limit(1, Duration.ofSeconds(1));
        RelayConfig c = defaults.withRateLimit(RateLimit.SEND, one);
        assertEquals(one, c.rateLimit(RateLimit.SEND));
        assertEquals(RateLimit.LOGIN.defaultLimit(), c.rateLimit(RateLimit.LOGIN));
    }

    @Test
    void withUploadSettings_changeOnlyThose() {
        RelayConfig c = defaults.withMaxUploadBytes(1234).withUploadTtl(Duration.ofMinutes(5));
        assertEquals(1234, c.maxUploadBytes());
        assertEquals(Duration.ofMinutes(5), c.uploadTtl());
        assertEquals(defaults.maxMessageBytes(), c.maxMessageBytes());
        assertEquals(1234, c.withPort(1).maxUploadBytes());
    }

    @Test
    void observability_isOffByDefault_andValidated() {
        assertEquals(RelayConfig.Observability.OFF, defaults.observability());
        assertFalse(defaults.observability().metricsEnabled());
        RelayConfig c = defaults.withObservability(RelayConfig.Observability.OFF.withMetrics("127.0.0.1", 9464).withClientAddresses(true));
        assertTrue(c.observability().metricsEnabled());
        assertEquals(9464, c.withPort(1).observability().metricsPort());
        assertTrue(c.observability().logClientAddresses());
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.Observability.OFF.withMetrics("127.0.0.1", 65_536));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.Observability.OFF.withMetrics(" ", 9464));
    }

    @Test
    void invalidValues_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxUploadBytes(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withUploadTtl(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> defaults.withPort(65_536));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxMessageBytes(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withTokenTtl(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> defaults.withHost(" "));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit.Limit(0, Duration.ofSeconds(1)));
    }
}
