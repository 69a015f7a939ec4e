package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a flood of logins is limited per address whatever the names, and, where it costs a
 * password hash (the name exists), on the whole relay.
 */
class LoginFloodTest extends RelayTestBase {

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults
                .withRateLimit(RateLimit.LOGIN_ADDRESS, new RateLimit.Limit(3, Duration.ofHours(1)))
                .withRateLimit(RateLimit.LOGIN_GLOBAL, new RateLimit.Limit(5, Duration.ofHours(1)));
    }

    @Test
    void login_randomNamesFromOneAddress_over429WithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, client.login("nobody" + i, "some password").statusCode());
        }

        HttpResponse<String> r = client.login("nobody3", "some password");

        assertEquals(429, r.statusCode());
        assertEquals("1200", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("too many login attempts from this address; retry in 1200 s", client.error(r));
    }

    @Test
    void login_randomNamesFromManyAddresses_neverUseUpRealUsersLogins() {
        client.register("alice", "password of alice");
        for (int i = 0; i < 12; i++) { // more than the relay-wide limit of 5, each from its own address
            TestClient from = new TestClient(relay, InetAddress.ofLiteral("127.0.0." + (10 + i)));
            assertEquals(401, from.login("nobody" + i, "some password").statusCode());
            from.http.close();
        }
        assertEquals(200, client.login("alice", "password of alice").statusCode());
    }

    @Test
    void login_wrongPasswordsFromManyAddresses_limitedInTotal() {
        client.register("alice", "password of alice");
        for (int i = 0; i < 5; i++) {
            TestClient from = new TestClient(relay, InetAddress.ofLiteral("127.0.0." + (10 + i)));
            assertEquals(401, from.login("alice", "guess " + i).statusCode());
            from.http.close();
        }

        TestClient another = new TestClient(relay, InetAddress.ofLiteral("127.0.0.20"));
        HttpResponse<String> r = another.login("alice", "guess 5");
        another.http.close();

        assertEquals(429, r.statusCode());
        assertEquals("720", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("too many login attempts on this relay; retry in 720 s", client.error(r));
    }
}
