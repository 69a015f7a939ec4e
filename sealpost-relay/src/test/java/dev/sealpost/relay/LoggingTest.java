package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SendResponse;
import dev.sealpost.testkit.Authenticator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The access log has one line per request with the path template, and never a secret. */
class LoggingTest extends RelayTestBase {
    AccessLog log;

    @BeforeEach
    void capture() {
        log = new AccessLog(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @AfterEach
    void release() {
        log.close();
    }

    private List<String> lines() {
        return log.lines();
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

        List<String> access = log.awaitAccess(l -> l.size() >= 7);
        assertTrue(access.stream().anyMatch(l -> l.matches(
                "method=POST route=/v1/messages status=201 ms=[0-9.]+ in=6 out=\\d+ id=[0-9a-f]{16}")), access.toString());
        assertTrue(access.stream().anyMatch(l -> l.matches(
                "method=GET route=/v1/messages/\\{id} status=404 ms=[0-9.]+ in=0 out=\\d+ id=[0-9a-f]{16}")), access.toString());
        assertEquals(7, access.size(), access.toString());
        assertEquals(7, access.stream().map(l -> l.replaceAll(".* id=", "")).distinct().count(), "one id per request");
        for (String line : lines()) {
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

        log.awaitAccess(l -> l.size() >= 7);
        log.awaitAccessLine("method=POST route=/v1/mfa/confirm status=200 .*");
        List<String> secrets = new java.util.ArrayList<>(List.of(token, password, e.secret(), code));
        secrets.addAll(recovery);
        for (String line : lines()) {
            for (String s : secrets) {
                assertFalse(line.contains(s), line);
            }
        }
    }

    @Test
    void eachAnswer_carriesItsRequestId_asLogged_andNoClientAddressByDefault() {
        java.net.http.HttpResponse<String> health = client.send(client.request(Api.HEALTH).GET().build());
        java.net.http.HttpResponse<String> missing = client.send(client.request("/v1/nothing").GET().build());
        String id = health.headers().firstValue(RequestLog.REQUEST_ID).orElseThrow();
        String other = missing.headers().firstValue(RequestLog.REQUEST_ID).orElseThrow();
        assertTrue(id.matches("[0-9a-f]{16}"), id);
        assertFalse(id.equals(other));
        log.awaitAccessLine("method=GET route=/v1/health status=200 ms=[0-9.]+ in=0 out=\\d+ id=" + id);
        log.awaitAccessLine("method=GET route=\\(no route\\) status=404 .* id=" + other);
        assertTrue(log.accessLines().stream().noneMatch(l -> l.contains("client=") || l.contains("127.0.0.1")), log.accessLines().toString());
    }

    @Test
    void uploadsAndEventStreams_areLoggedByTemplate_withoutUploadIdsOrNames() throws Exception {
        client.register("dora", "secret passphrase 1234");
        String token = client.read(client.login("dora", "secret passphrase 1234"), dev.sealpost.protocol.SessionResponse.class).token();
        String upload = client.upload(token, 10);
        client.patch(token, upload, 0, new byte[10]);
        client.head(token, upload);
        java.net.http.HttpResponse<java.io.InputStream> stream = client.http.send(client.request(Api.EVENTS, token)
                .header("Accept", "text/event-stream").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        stream.body().close();
        relay.close(); // ends the event stream, which is logged when it ends

        log.awaitAccessLine("method=PATCH route=/v1/uploads/\\{id} status=204 ms=[0-9.]+ in=10 out=0 id=\\w+");
        log.awaitAccessLine("method=GET route=/v1/events status=200 .*");
        for (String line : lines()) {
            assertFalse(line.contains(upload), line);
            assertFalse(line.contains(token), line);
            assertFalse(line.contains("dora"), line);
        }
    }
}
