package dev.sealpost.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory token buckets for every {@link RateLimit}, keyed by what is counted (an account,
 * an address, or both). Per relay process: several relay nodes would need a shared store.
 */
final class RateLimiters {
    private final Map<RateLimit, RateLimit.Limit> limits;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

    private record Key(RateLimit limit, String subject) {}

    RateLimiters(Map<RateLimit, RateLimit.Limit> limits, Clock clock) {
        this.limits = Map.copyOf(limits);
        this.clock = clock;
    }

    /**
     * Takes one permit.
     *
     * @param subject what is counted, e.g. an account name or {@code name|address}
     * @throws ApiError.RateLimited if the bucket is empty; nothing is taken then
     */
    void acquire(RateLimit which, String subject) {
        RateLimit.Limit limit = limits.get(which);
        Instant now = clock.instant();
        Bucket bucket = buckets.computeIfAbsent(new Key(which, subject), k -> new Bucket(limit, now));
        Duration wait = bucket.tryTake(now);
        if (wait != null) {
            throw new ApiError.RateLimited(which, wait);
        }
    }

    /** Forgets buckets that have filled up again, which behave exactly like new ones. */
    void evictFull() {
        Instant now = clock.instant();
        buckets.values().removeIf(b -> b.isFull(now));
    }

    private static final class Bucket {
        private final double capacity;
        private final double permitsPerNano;
        private double available;
        private Instant updated;

        Bucket(RateLimit.Limit limit, Instant now) {
            this.capacity = limit.permits();
            this.permitsPerNano = limit.permits() / (double) limit.period().toNanos();
            this.available = capacity;
            this.updated = now;
        }

        /** @return null if a permit was taken, else how long until one is available */
        synchronized Duration tryTake(Instant now) {
            refill(now);
            if (available >= 1) {
                available -= 1;
                return null;
            }
            return Duration.ofNanos((long) Math.ceil((1 - available) / permitsPerNano));
        }

        synchronized boolean isFull(Instant now) {
            refill(now);
            return available >= capacity;
        }

        private void refill(Instant now) {
            if (now.isAfter(updated)) {
                long nanos = Duration.between(updated, now).toNanos();
                available = Math.min(capacity, available + nanos * permitsPerNano);
                updated = now;
            }
        }
    }
}
