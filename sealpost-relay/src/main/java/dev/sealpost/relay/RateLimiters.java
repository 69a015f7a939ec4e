package dev.sealpost.relay;

import dev.sealpost.relay.store.RateBuckets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets for every {@link RateLimit}, keyed by what is counted (an account, an address,
 * or both). In memory, per relay process; with {@link RateBuckets} (PostgreSQL) the limits that
 * are {@link RateLimit#acrossNodes()} are kept in the database instead, shared by every node.
 */
final class RateLimiters {
    private final Map<RateLimit, RateLimit.Limit> limits;
    private final Clock clock;
    private final RateBuckets shared;
    private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

    private record Key(RateLimit limit, String subject) {}

    /** Every bucket in memory (one node). */
    RateLimiters(Map<RateLimit, RateLimit.Limit> limits, Clock clock) {
        this(limits, clock, null);
    }

    /**
     * @param shared where the buckets of the limits that hold across nodes are kept, or null
     *               to keep every bucket in memory
     */
    RateLimiters(Map<RateLimit, RateLimit.Limit> limits, Clock clock, RateBuckets shared) {
        this.limits = Map.copyOf(limits);
        this.clock = clock;
        this.shared = shared;
    }

    /**
     * Takes one permit.
     *
     * @param subject what is counted, e.g. an account name or {@code name|address}
     * @throws ApiError.RateLimited if the bucket is empty; nothing is taken then
     * @throws dev.sealpost.relay.store.StoreException if the bucket is in the database and that fails
     */
    void acquire(RateLimit which, String subject) {
        RateLimit.Limit limit = limits.get(which);
        Instant now = clock.instant();
        if (shared != null && which.acrossNodes()) {
            Duration wait = shared.take(which.name(), subject, limit.permits(), limit.period(), now);
            if (!wait.isZero()) {
                throw new ApiError.RateLimited(which, wait);
            }
            return;
        }
        Bucket bucket = buckets.computeIfAbsent(new Key(which, subject), k -> new Bucket(limit, now));
        Duration wait = bucket.tryTake(now);
        if (wait != null) {
            throw new ApiError.RateLimited(which, wait);
        }
    }

    /**
     * Forgets buckets that have filled up again, which behave exactly like new ones, in memory
     * and in the database.
     *
     * @throws dev.sealpost.relay.store.StoreException if the database fails (the memory is swept first)
     */
    void evictFull() {
        Instant now = clock.instant();
        buckets.values().removeIf(b -> b.isFull(now));
        if (shared != null) {
            for (RateLimit r : RateLimit.values()) {
                if (r.acrossNodes()) {
                    RateLimit.Limit limit = limits.get(r);
                    shared.deleteFull(r.name(), limit.permits(), limit.period(), now);
                }
            }
        }
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
