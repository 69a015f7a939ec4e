package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: logins wait for a password hash in a bounded queue on a pool of their own; a full
 * queue is a 503 with Retry-After, and requests that need no hash are answered meanwhile.
 */
class HashingPoolTest extends RelayTestBase {
    static final int CALLERS = 8;

    @Override
    RelayConfig configure(RelayConfig defaults) {
        RateLimit.Limit plenty = new RateLimit.Limit(10_000, Duration.ofHours(1));
        return defaults.withHashing(new RelayConfig.Hashing(1, 1))
                .withRateLimit(RateLimit.LOGIN_ADDRESS, plenty)
                .withRateLimit(RateLimit.LOGIN, plenty)
                .withRateLimit(RateLimit.LOGIN_GLOBAL, plenty);
    }

    @Test
    void login_burstOfUnknownNames_needsNoHash_soNever503() throws Exception {
        List<Integer> statuses = burst(i -> "nobody" + i, i -> "some password");
        assertEquals(java.util.Collections.nCopies(CALLERS, 401), statuses);
    }

    /** {@link #CALLERS} logins at once, each on its own connection; @return their statuses */
    private List<Integer> burst(java.util.function.IntFunction<String> name, java.util.function.IntFunction<String> password)
            throws Exception {
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            TestClient c = new TestClient(relay);
            assertEquals(200, c.send(c.request(Api.HEALTH).GET().build()).statusCode());
            clients.add(c);
        }
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                TestClient c = clients.get(i);
                String n = name.apply(i);
                String p = password.apply(i);
                logins.add(callers.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return c.login(n, p);
                }));
            }
            for (Future<HttpResponse<String>> f : logins) {
                statuses.add(f.get(30, TimeUnit.SECONDS).statusCode());
            }
        } finally {
            clients.forEach(c -> c.http.close());
        }
        return statuses;
    }

    @Test
    void login_burstOverHashingQueue_gets503WithRetryAfterWhileHealthAnswers() throws Exception {
        assertEquals(201, client.register("alice", "password of alice").statusCode());
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            TestClient c = new TestClient(relay);
            assertEquals(200, c.send(c.request(Api.HEALTH).GET().build()).statusCode()); // connected before the burst
            clients.add(c);
        }
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        List<HttpResponse<String>> answers = new ArrayList<>();
        long slowestHealthNanos = 0;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                TestClient c = clients.get(i);
                String guess = "guess " + i;
                logins.add(callers.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return c.login("alice", guess);
                }));
            }
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
                slowestHealthNanos = Math.max(slowestHealthNanos, System.nanoTime() - t0);
            }
            for (Future<HttpResponse<String>> f : logins) {
                answers.add(f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            clients.forEach(c -> c.http.close());
        }

        List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
        assertTrue(statuses.contains(401), statuses.toString());
        assertTrue(statuses.contains(503), statuses.toString());
        for (HttpResponse<String> r : answers) {
            if (r.statusCode() == 503) {
                assertEquals("1", r.headers().firstValue("Retry-After").orElseThrow());
                assertEquals(PasswordHasher.BUSY, client.error(r));
            } else {
                assertEquals(401, r.statusCode());
            }
        }
        assertTrue(slowestHealthNanos < TimeUnit.SECONDS.toNanos(2), "health took " + slowestHealthNanos / 1_000_000 + " ms");
    }
}
