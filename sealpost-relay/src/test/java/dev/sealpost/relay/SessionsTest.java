package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.PasswordChange;
import dev.sealpost.protocol.SessionInfo;
import dev.sealpost.protocol.SessionList;
import dev.sealpost.protocol.SessionResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions on a real relay: listed with client and address, revoked one by one or all others, logout, password change. */
class SessionsTest extends RelayTestBase {
    static final String PASSWORD = "password of alice";

    private String login(String userAgent, String password) {
        HttpResponse<String> r = client.send(client.request(Api.SESSIONS).header("Content-Type", "application/json")
                .header("User-Agent", userAgent).POST(client.jsonBody(new LoginRequest("alice", password))).build());
        assertEquals(200, r.statusCode(), r.body());
        return client.read(r, SessionResponse.class).token();
    }

    private List<SessionInfo> list(String token) {
        HttpResponse<String> r = client.get(Api.SESSIONS, token);
        assertEquals(200, r.statusCode(), r.body());
        return client.read(r, SessionList.class).sessions();
    }

    private int delete(String path, String token) {
        return client.send(client.request(path, token).DELETE().build()).statusCode();
    }

    private int works(String token) {
        return client.get(Api.MESSAGES, token).statusCode();
    }

    @Test
    void list_revokeOne_revokeOthers_logout() {
        client.register("alice", PASSWORD);
        String a = login("sealpost/test laptop", PASSWORD);
        clock.advance(Duration.ofSeconds(1)); // listed oldest first
        String b = login("sealpost/test phone\u009b", PASSWORD);
        List<SessionInfo> two = list(a);
        assertEquals(2, two.size());
        assertEquals(List.of(true, false), two.stream().map(SessionInfo::current).toList());
        assertEquals(List.of("sealpost/test laptop", "sealpost/test phone?"), two.stream().map(SessionInfo::client).toList(),
                "control characters do not reach a terminal");
        assertEquals("127.0.0.1", two.getFirst().address());
        assertNotNull(two.getFirst().lastUsedAt(), "this request used it");
        assertNull(two.get(1).lastUsedAt(), "not used since login");

        assertEquals(204, delete(Api.SESSION.replace("{id}", two.get(1).id()), a));
        assertEquals(401, works(b), "the revoked token fails");
        assertEquals(200, works(a));
        assertEquals(404, delete(Api.SESSION.replace("{id}", two.get(1).id()), a), "gone already");

        String c = login("third", PASSWORD);
        String d = login("fourth", PASSWORD);
        assertEquals(204, delete(Api.SESSIONS, a));
        assertEquals(401, works(c));
        assertEquals(401, works(d));
        assertEquals(200, works(a));
        assertEquals(1, list(a).size());

        assertEquals(204, delete(Api.SESSION.replace("{id}", Api.CURRENT_SESSION), a));
        assertEquals(401, works(a), "logged out");
    }

    @Test
    void aSessionInUse_stopsWorkingTheMomentItIsRevokedHere() {
        client.register("alice", PASSWORD);
        String a = login("a", PASSWORD);
        String b = login("b", PASSWORD);
        String c = login("c", PASSWORD);
        for (String token : List.of(a, b, c)) {
            assertEquals(200, works(token), "used, so the relay remembers the session");
        }
        String bId = list(a).stream().filter(i -> i.client().equals("b")).findFirst().orElseThrow().id();
        assertEquals(204, delete(Api.SESSION.replace("{id}", bId), a));
        assertEquals(401, works(b), "revoked: not served from memory");
        assertEquals(204, delete(Api.SESSIONS, a));
        assertEquals(401, works(c));
        assertEquals(204, delete(Api.SESSION.replace("{id}", Api.CURRENT_SESSION), a));
        assertEquals(401, works(a), "logged out");
    }

    @Test
    void aSessionRevokedBehindTheRelaysBack_stopsWorkingWithinTheCacheTime() throws Exception {
        client.register("alice", PASSWORD);
        String a = login("a", PASSWORD);
        assertEquals(200, works(a));
        // another node of the same relay (here: another connection to the same database) revokes it
        try (var otherNode = dev.sealpost.relay.store.Stores.sqlite(dataDir.resolve("relay.db"))) {
            assertEquals(1, otherNode.deleteTokensExcept("alice", null));
        }
        long deadline = System.nanoTime() + SessionManager.CACHE_FOR.multipliedBy(10).toNanos();
        int status = works(a);
        while (status != 401 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = works(a);
        }
        assertEquals(401, status, "refused once the remembered session is older than " + SessionManager.CACHE_FOR);
    }

    @Test
    void oneAccount_cannotSeeOrRevokeAnothersSessions() {
        client.register("alice", PASSWORD);
        String alice = login("alice's", PASSWORD);
        String bob = client.account("bob");
        String aliceId = list(alice).getFirst().id();
        assertEquals(1, list(bob).size(), "bob sees his own only");
        assertEquals(404, delete(Api.SESSION.replace("{id}", aliceId), bob));
        assertEquals(404, delete(Api.SESSION.replace("{id}", "not-an-id"), bob));
        assertEquals(200, works(alice));
    }

    @Test
    void lastUse_isWrittenAtMostOnceAMinute() {
        client.register("alice", PASSWORD);
        String a = login("x", PASSWORD);
        works(a);
        var first = list(a).getFirst().lastUsedAt();
        clock.advance(Duration.ofSeconds(20));
        works(a);
        assertEquals(first, list(a).getFirst().lastUsedAt());
        clock.advance(Duration.ofMinutes(2));
        works(a);
        assertEquals(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), list(a).getFirst().lastUsedAt());
    }

    @Test
    void passwordChange_needsTheOldOne_andRevokesEveryOtherSession() {
        client.register("alice", PASSWORD);
        String here = login("here", PASSWORD);
        String there = login("there", PASSWORD);
        assertEquals(401, change(here, "wrong " + PASSWORD, "new password 123").statusCode());
        assertEquals(400, change(here, PASSWORD, "short").statusCode());
        assertEquals(200, works(there), "nothing changed yet");
        assertEquals(204, change(here, PASSWORD, "new password 123").statusCode());
        assertEquals(401, works(there), "every other session ends");
        assertEquals(200, works(here), "this one goes on");
        assertEquals(401, client.login("alice", PASSWORD).statusCode());
        assertEquals(200, client.login("alice", "new password 123").statusCode());
    }

    private HttpResponse<String> change(String token, String old, String fresh) {
        return client.send(client.request(Api.PASSWORD, token).header("Content-Type", "application/json")
                .POST(client.jsonBody(new PasswordChange(old, fresh))).build());
    }
}
