package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SendResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log has one line per request with the path template, and never a secret. */
class LoggingTest extends RelayTestBase {
    final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void capture() {
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
    }

    private List<String> lines() {
        return captured.list.stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
    }

    @Test
    void requests_areLoggedByTemplate_withoutTokensPasswordsOrNames() {
        String password = "secret passphrase 1234";
        client.register("alice", password);
        String token = client.read(client.login("alice", password), dev.sealpost.protocol.SessionResponse.class).token();
        client.register("bob", password);
        String id = client.read(client.sendMessage(token, "sealed".getBytes(), "bob"), SendResponse.class).id();
        client.get("/v1/messages/" + id, token);
        client.login("alice", "wrong " + password);
        client.get(Api.MESSAGES, token + "x");

        List<String> lines = lines();
        List<String> access = lines.stream().filter(l -> l.startsWith("dev.sealpost.relay.access ")).toList();
        assertTrue(access.stream().anyMatch(l -> l.matches("\\S+ POST /v1/messages 201 \\d+ms")), access.toString());
        assertTrue(access.stream().anyMatch(l -> l.matches("\\S+ GET /v1/messages/\\{id} 404 \\d+ms")), access.toString());
        assertEquals(7, access.size(), access.toString());
        for (String line : lines) {
            assertFalse(line.contains(token), line);
            assertFalse(line.contains(password), line);
            assertFalse(line.contains(id), line);
            assertFalse(line.contains("bob"), line);
            assertFalse(line.contains("Bearer"), line);
        }
    }
}
