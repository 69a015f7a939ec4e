package dev.sealpost.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.sealpost.relay.RelayConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;
import picocli.CommandLine;

/** {@code sealpost relay --metrics [ADDRESS:]PORT --log-client-address}, and the access log's logfmt lines. */
class RelayObservabilityTest {
    @Test
    void metrics_takesAPortAndAnOptionalAddress() {
        assertEquals(new RelayConfig.Observability("127.0.0.1", 9464, false), RelayCommand.parseMetrics("9464"));
        assertEquals(new RelayConfig.Observability("10.0.0.5", 0, false), RelayCommand.parseMetrics("10.0.0.5:0"));
        assertEquals(new RelayConfig.Observability("::1", 9464, false), RelayCommand.parseMetrics("[::1]:9464"));
        assertEquals(new RelayConfig.Observability("metrics.internal", 9100, false), RelayCommand.parseMetrics(" metrics.internal:9100 "));
        for (String bad : new String[] {"", "x", "65536", "127.0.0.1:", "::1:9464", "127.0.0.1:-1", "[::1]9464", "a:b:9464"}) {
            assertEquals(Failures.USAGE, assertThrows(Failures.UserException.class, () -> RelayCommand.parseMetrics(bad)).code, bad);
        }
    }

    @Test
    void optionsFile_setsMetricsAndClientAddresses(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("relay.conf"), "--metrics 127.0.0.1:9464\n--log-client-address\n");
        RelayCommand relay = new RelayCommand();
        new CommandLine(relay).parseArgs("@" + conf);
        assertEquals("127.0.0.1:9464", relay.metrics);
        assertTrue(relay.logClientAddress);
        RelayCommand plain = new RelayCommand();
        new CommandLine(plain).parseArgs();
        assertEquals(null, plain.metrics);
    }

    /** The CLI's logback.xml (on this module's class path) renders an access event as one logfmt line. */
    @Test
    void accessLog_isLogfmt() {
        Logger access = (Logger) LoggerFactory.getLogger("dev.sealpost.relay.access");
        assertTrue(access.isInfoEnabled(), "on, from dev.sealpost (demo turns dev.sealpost.relay down to WARN)");
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) access.getAppender("ACCESS");
        LoggingEvent e = new LoggingEvent(Logger.class.getName(), access, Level.INFO, "request", null, null);
        e.addKeyValuePair(new KeyValuePair("method", "GET"));
        e.addKeyValuePair(new KeyValuePair("route", "/v1/messages/{id}"));
        e.addKeyValuePair(new KeyValuePair("status", 200));
        e.addKeyValuePair(new KeyValuePair("ms", 0.412));
        e.addKeyValuePair(new KeyValuePair("id", "0123456789abcdef"));
        String line = new String(appender.getEncoder().encode(e), StandardCharsets.UTF_8);
        assertTrue(line.matches("time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) level=INFO logger=access "
                + "method=\"GET\" route=\"/v1/messages/\\{id}\" status=\"200\" ms=\"0.412\" id=\"0123456789abcdef\"\n"), line);
    }
}
