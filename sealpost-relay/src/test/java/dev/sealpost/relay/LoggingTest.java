package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SendResponse;
import dev.sealpost.testkit.Authenticator;
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

    @Test
    void theSecondFactor_leavesNoSecretInTheLog() {
        String password = "secret passphrase 1234";
        client.register("carol", password);
        String token = client.read(client.login("carol", password), dev.sealpost.protocol.SessionResponse.class).token();
        java.net.http.HttpResponse<String> begun = client.send(client.request(Api.MFA, token)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        dev.sealpost.protocol.MfaEnrollment e = client.read(begun, dev.sealpost.protocol.MfaEnrollment.class);
        byte[] secret = Authenticator.secret(e.secret());
        String code = dev.sealpost.protocol.Totp.code(secret, dev.sealpost.protocol.Totp.step(clock.instant()), 6);
        java.net.http.HttpResponse<String> confirmed = client.send(client.request(Api.MFA_CONFIRM, token)
                .header("Content-Type", "application/json").POST(client.jsonBody(new dev.sealpost.protocol.MfaCode(code))).build());
        List<String> recovery = client.read(confirmed, dev.sealpost.protocol.RecoveryCodes.class).codes();
        client.postJson(Api.SESSIONS, new dev.sealpost.protocol.LoginRequest("carol", password, code)); // reused: refused
        client.postJson(Api.SESSIONS, new dev.sealpost.protocol.LoginRequest("carol", password, "000000"));
        client.postJson(Api.SESSIONS, new dev.sealpost.protocol.LoginRequest("carol", password, recovery.getFirst()));

        List<String> secrets = new java.util.ArrayList<>(List.of(token, password, e.secret(), code));
        secrets.addAll(recovery);
        for (String line : lines()) {
            for (String s : secrets) {
                assertFalse(line.contains(s), line);
            }
        }
        assertTrue(lines().stream().anyMatch(l -> l.matches("\\S+ POST /v1/mfa/confirm 200 \\d+ms")), lines().toString());
    }
}
