package dev.sealpost.relay.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Token buckets kept in the database, so that every relay node sharing it counts against the
 * same bucket: one row per (limit, subject) with the permits available at its last update.
 * A permit is taken, or refused, atomically in one statement, whatever other nodes do at the
 * same time. Time is the calling node's clock: nodes keep their clocks in step (NTP); a node
 * whose clock lags refills nothing until it catches up, one ahead refills early by its lead.
 *
 * <p>On PostgreSQL: {@link Stores#rateBuckets}. SQLite (one node) has no implementation: the
 * relay keeps its buckets in memory there.
 */
public interface RateBuckets {
    /**
     * Takes one permit from a bucket of {@code capacity} permits that refills completely over
     * {@code period}; a bucket not seen before starts full.
     *
     * @param limit    the limit's name, e.g. {@code LOGIN}
     * @param subject  what is counted, e.g. an account name and an address
     * @param capacity permits at most, at least 1
     * @param period   time to refill an empty bucket, positive
     * @param now      the current time
     * @return {@link Duration#ZERO} if a permit was taken; else (nothing taken) the time until
     *         one will be available, positive
     * @throws StoreException if the database fails
     */
    Duration take(String limit, String subject, int capacity, Duration period, Instant now);

    /**
     * Deletes the buckets of {@code limit} that are full again at {@code now}: they behave
     * exactly like buckets never seen.
     *
     * @return how many were deleted
     * @throws StoreException if the database fails
     */
    int deleteFull(String limit, int capacity, Duration period, Instant now);
}
