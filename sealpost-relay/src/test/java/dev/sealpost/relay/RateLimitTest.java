package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest extends RelayTestBase {

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults
                .withRateLimit(RateLimit.LOGIN, new RateLimit.Limit(2, Duration.ofHours(1)))
                .withRateLimit(RateLimit.REGISTRATION, new RateLimit.Limit(3, Duration.ofHours(1)))
                .withRateLimit(RateLimit.SEND, new RateLimit.Limit(1, Duration.ofMinutes(1)));
    }

    @Test
    void login_overLimit_returns429WithRetryAfter() {
        client.register("alice", "correct horse");
        assertEquals(200, client.login("alice", "correct horse").statusCode());
        assertEquals(401, client.login("alice", "wrong horse").statusCode());

        HttpResponse<String> r = client.login("alice", "correct horse");

        assertEquals(429, r.statusCode());
        assertEquals("1800", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("too many login attempts; retry in 1800 s", client.error(r));
    }

    @Test
    void login_limitIsPerAccount() {
        client.register("alice", "correct horse");
        client.register("bob", "correct horse");
        client.login("alice", "x");
        client.login("alice", "x");
        assertEquals(429, client.login("alice", "correct horse").statusCode());
        assertEquals(200, client.login("bob", "correct horse").statusCode());
    }

    @Test
    void login_afterRetryAfter_isAllowedAgain() {
        client.register("alice", "correct horse");
        client.login("alice", "x");
        client.login("alice", "x");
        assertEquals(429, client.login("alice", "correct horse").statusCode());
        clock.advance(Duration.ofMinutes(30));
        assertEquals(200, client.login("alice", "correct horse").statusCode());
    }

    @Test
    void registration_overLimit_returns429() {
        client.register("a1", "correct horse");
        client.register("a2", "correct horse");
        client.register("a3", "correct horse");
        HttpResponse<String> r = client.register("a4", "correct horse");
        assertEquals(429, r.statusCode());
        assertEquals("1200", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("too many registrations; retry in 1200 s", client.error(r));
    }

    @Test
    void send_overLimit_returns429AndStoresNothing() {
        String alice = client.account("alice");
        client.account("bob");
        assertEquals(201, client.sendMessage(alice, "one".getBytes(), "bob").statusCode());

        HttpResponse<String> r = client.sendMessage(alice, "two".getBytes(), "bob");

        assertEquals(429, r.statusCode());
        assertEquals("60", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("too many messages sent; retry in 60 s", client.error(r));
    }
}
