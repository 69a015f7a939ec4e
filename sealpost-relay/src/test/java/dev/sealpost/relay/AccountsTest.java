package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.AccountResponse;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SessionResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccountsTest extends RelayTestBase {

    @Test
    void register_newName_returns201WithName() {
        HttpResponse<String> r = client.register("alice", "correct horse");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(new AccountResponse("alice"), client.read(r, AccountResponse.class));
    }

    @Test
    void register_takenName_returns409() {
        client.register("alice", "correct horse");
        HttpResponse<String> r = client.register("alice", "another password");
        assertEquals(409, r.statusCode());
        assertEquals("name already taken: alice", client.error(r));
    }

    @Test
    void register_shortPassword_returns400() {
        HttpResponse<String> r = client.register("alice", "short");
        assertEquals(400, r.statusCode());
        assertEquals("password too short: use at least 8 characters", client.error(r));
    }

    @Test
    void register_invalidName_returns400WithReason() {
        HttpResponse<String> r = client.register("Alice!", "correct horse");
        assertEquals(400, r.statusCode());
        assertTrue(client.error(r).startsWith("invalid name 'Alice!'"), client.error(r));
    }

    @Test
    void register_malformedJson_returns400() {
        HttpResponse<String> r = client.send(client.request(Api.ACCOUNTS)
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build());
        assertEquals(400, r.statusCode());
        assertEquals("malformed JSON body: expected RegisterRequest", client.error(r));
    }

    @Test
    void login_rightPassword_returnsTokenValidForTokenTtl() {
        client.register("alice", "correct horse");
        HttpResponse<String> r = client.login("alice", "correct horse");
        assertEquals(200, r.statusCode(), r.body());
        SessionResponse session = client.read(r, SessionResponse.class);
        assertTrue(session.token().matches("[A-Za-z0-9_-]{43}"), "base64url of 32 bytes");
        assertEquals(clock.instant().plus(RelayConfig.DEFAULT_TOKEN_TTL).toEpochMilli(), session.expiresAt().toEpochMilli());
    }

    @Test
    void login_wrongPassword_returns401() {
        client.register("alice", "correct horse");
        HttpResponse<String> r = client.login("alice", "wrong horse");
        assertEquals(401, r.statusCode());
        assertEquals("wrong name or password", client.error(r));
        assertEquals("Bearer realm=\"sealpost\"", r.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void login_unknownName_returns401WithTheSameMessage() {
        HttpResponse<String> r = client.login("nobody", "correct horse");
        assertEquals(401, r.statusCode());
        assertEquals("wrong name or password", client.error(r));
    }

    @Test
    void request_withoutToken_returns401() {
        HttpResponse<String> r = client.send(client.request(Api.MESSAGES).GET().build());
        assertEquals(401, r.statusCode());
        assertEquals("missing bearer token: log in first", client.error(r));
    }

    @Test
    void request_withUnknownToken_returns401InvalidToken() {
        HttpResponse<String> r = client.get(Api.MESSAGES, "A".repeat(43));
        assertEquals(401, r.statusCode());
        assertEquals("invalid token; log in again", client.error(r));
        assertEquals("Bearer realm=\"sealpost\", error=\"invalid_token\"",
                r.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void request_withExpiredToken_returns401TokenExpired() {
        String token = client.account("alice");
        assertEquals(200, client.get(Api.MESSAGES, token).statusCode());

        clock.advance(RelayConfig.DEFAULT_TOKEN_TTL.plusSeconds(1));
        HttpResponse<String> r = client.get(Api.MESSAGES, token);

        assertEquals(401, r.statusCode());
        assertEquals("token expired; log in again", client.error(r));
    }

    @Test
    void expiredToken_afterHousekeeping_isStillReportedExpiredWithinGracePeriod() {
        String token = client.account("alice");
        clock.advance(RelayConfig.DEFAULT_TOKEN_TTL.plus(Duration.ofHours(1)));
        relay.housekeeping();
        assertEquals("token expired; log in again", client.error(client.get(Api.MESSAGES, token)));

        clock.advance(SessionManager.EXPIRED_GRACE);
        relay.housekeeping();
        assertEquals("invalid token; log in again", client.error(client.get(Api.MESSAGES, token)));
    }

    @Test
    void health_withoutToken_returnsOk() {
        HttpResponse<String> r = client.send(client.request(Api.HEALTH).GET().build());
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"ok\"}", r.body());
    }

    @Test
    void unknownPath_returns404ErrorResponse() {
        HttpResponse<String> r = client.send(client.request("/v1/nothing").GET().build());
        assertEquals(404, r.statusCode());
        assertEquals("no such endpoint", client.error(r));
    }
}
