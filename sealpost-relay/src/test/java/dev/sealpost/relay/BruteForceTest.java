package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's bound, computed from the default limits with an injected clock: 1,000 wrong
 * passwords, or 1,000 wrong second-factor codes, against one account from one address take at
 * least an hour, and the account's owner never waits more than 15 minutes for a try of their own.
 */
class BruteForceTest {
    private final MutableClock clock = MutableClock.startingNow();
    private final RateLimiters limits = new RateLimiters(RelayConfig.defaults(Path.of("unused")).rateLimits(), clock);

    /** One try as HttpRoutes makes it: the buckets in its order; on a 429, the caller waits Retry-After and tries again. */
    private Duration attempt(List<RateLimit> which, List<String> subjects) {
        Instant start = clock.instant();
        while (true) {
            try {
                for (int i = 0; i < which.size(); i++) {
                    limits.acquire(which.get(i), subjects.get(i));
                }
                return Duration.between(start, clock.instant());
            } catch (ApiError.RateLimited limited) {
                clock.advance(Duration.ofSeconds(limited.retryAfterSeconds()));
            }
        }
    }

    @Test
    void aThousandWrongPasswords_takeOverAnHour_andTheOwnerWaitsAtMost15Minutes() {
        List<RateLimit> login = List.of(RateLimit.LOGIN_ADDRESS, RateLimit.LOGIN, RateLimit.LOGIN_GLOBAL);
        Instant start = clock.instant();
        Duration ownerWorst = Duration.ZERO;
        for (int i = 1; i <= 1000; i++) {
            attempt(login, List.of("203.0.113.9", "alice|203.0.113.9", ""));
            if (i % 100 == 0) { // the owner, now and then, from her own address and from the attacker's (a shared office)
                ownerWorst = max(ownerWorst, attempt(login, List.of("198.51.100.7", "alice|198.51.100.7", "")));
                ownerWorst = max(ownerWorst, attempt(login, List.of("203.0.113.9", "alice|203.0.113.9", "")));
            }
        }
        Duration took = Duration.between(start, clock.instant());
        assertTrue(took.compareTo(Duration.ofHours(1)) >= 0, "1,000 passwords took only " + took);
        assertTrue(ownerWorst.compareTo(Duration.ofMinutes(15)) <= 0, "the owner waited " + ownerWorst);
    }

    @Test
    void aThousandWrongCodes_takeOverAnHour_andTheOwnerWaitsAtMost15Minutes() {
        // an attacker who has the password: every try also passes the login buckets, then the code's
        List<RateLimit> code = List.of(RateLimit.LOGIN_ADDRESS, RateLimit.LOGIN, RateLimit.LOGIN_GLOBAL, RateLimit.MFA);
        Instant start = clock.instant();
        Duration ownerWorst = Duration.ZERO;
        for (int i = 1; i <= 1000; i++) {
            attempt(code, List.of("203.0.113.9", "alice|203.0.113.9", "", "alice"));
            if (i % 100 == 0) {
                ownerWorst = max(ownerWorst, attempt(code, List.of("198.51.100.7", "alice|198.51.100.7", "", "alice")));
            }
        }
        Duration took = Duration.between(start, clock.instant());
        assertTrue(took.compareTo(Duration.ofHours(1)) >= 0, "1,000 codes took only " + took);
        assertTrue(ownerWorst.compareTo(Duration.ofMinutes(15)) <= 0, "the owner waited " + ownerWorst);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
