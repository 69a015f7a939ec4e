package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitersTest {
    final MutableClock clock = MutableClock.startingNow();
    final RateLimiters limiters = new RateLimiters(
            Map.of(RateLimit.LOGIN, new RateLimit.Limit(3, Duration.ofMinutes(3)),
                    RateLimit.REGISTRATION, RateLimit.REGISTRATION.defaultLimit(),
                    RateLimit.SEND, RateLimit.SEND.defaultLimit()), clock);

    @Test
    void acquire_withinBurst_succeedsThenRefusesWithWaitForOnePermit() {
        for (int i = 0; i < 3; i++) {
            limiters.acquire(RateLimit.LOGIN, "alice");
        }
        ApiError.RateLimited e = assertThrows(ApiError.RateLimited.class,
                () -> limiters.acquire(RateLimit.LOGIN, "alice"));
        assertEquals(60, e.retryAfterSeconds());
        assertEquals(429, ErrorMapper.status(e));
    }

    @Test
    void acquire_refillsEvenlyOverThePeriod() {
        for (int i = 0; i < 3; i++) {
            limiters.acquire(RateLimit.LOGIN, "alice");
        }
        clock.advance(Duration.ofSeconds(59));
        assertEquals(1, assertThrows(ApiError.RateLimited.class,
                () -> limiters.acquire(RateLimit.LOGIN, "alice")).retryAfterSeconds());
        clock.advance(Duration.ofSeconds(1));
        assertDoesNotThrow(() -> limiters.acquire(RateLimit.LOGIN, "alice"));
    }

    @Test
    void subjectsAndLimits_areCountedSeparately() {
        for (int i = 0; i < 3; i++) {
            limiters.acquire(RateLimit.LOGIN, "alice");
        }
        assertDoesNotThrow(() -> limiters.acquire(RateLimit.LOGIN, "bob"));
        assertDoesNotThrow(() -> limiters.acquire(RateLimit.SEND, "alice"));
    }

    @Test
    void evictFull_forgetsRefilledBucketsOnly() {
        limiters.acquire(RateLimit.LOGIN, "alice");
        for (int i = 0; i < 3; i++) {
            limiters.acquire(RateLimit.LOGIN, "bob");
        }
        clock.advance(Duration.ofMinutes(1));
        limiters.evictFull(); // alice is full again; bob has one permit
        limiters.acquire(RateLimit.LOGIN, "bob");
        assertThrows(ApiError.RateLimited.class, () -> limiters.acquire(RateLimit.LOGIN, "bob"));
    }
}
