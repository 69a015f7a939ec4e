package dev.sealpost.relay;

import dev.sealpost.protocol.Api;
import java.time.Duration;
import java.util.Objects;

/**
 * Every rate limit of the relay with its default, in one place (as Signal's
 * {@code RateLimiters.For}). Each is a token bucket: up to {@link Limit#permits()} requests at
 * once, refilled evenly over {@link Limit#period()}. A request over the limit gets 429 with a
 * {@code Retry-After} header (seconds). Override defaults with
 * {@link RelayConfig#withRateLimit(RateLimit, Limit)}.
 *
 * <p><b>Several relay nodes.</b> With a PostgreSQL database the limits against guessing
 * ({@link #acrossNodes()}: {@link #LOGIN}, {@link #LOGIN_ADDRESS}, {@link #MFA},
 * {@link #REGISTRATION}) keep their buckets in it, so they hold for the whole relay: with any
 * number of nodes behind a balancer, an account gets exactly the permits one node would give.
 * The throughput limits ({@link #LOGIN_GLOBAL}, {@link #SEND}, {@link #UPLOAD}) stay in each
 * node's memory, which keeps a database round trip off sending and uploading: with N nodes a
 * client spread over all of them gets up to N times their permits at once and N times their
 * rate (a client that one balancer pins to one node, by address, still gets one node's). So
 * set them per node: for a relay-wide {@code send=300/10m} on 3 nodes, give each node
 * {@code --limit send=100/10m}; {@code login-global} protects each node's own hashing pool and
 * is right per node as it is. With SQLite (one node) every bucket is in memory.
 */
public enum RateLimit {
    /** Login attempts, successful or not, per account name and client address: 10, then one per 90 s. */
    LOGIN("login attempts", new Limit(10, Duration.ofMinutes(15)), true),
    /**
     * Login attempts per client address, whatever the name: 30, then one per 30 s. Without it a
     * flood of made-up names gets a fresh {@link #LOGIN} bucket per name.
     */
    LOGIN_ADDRESS("login attempts from this address", new Limit(30, Duration.ofMinutes(15)), true),
    /**
     * Login attempts for existing accounts on the whole relay, from everyone: 100, then 10 per
     * second. Each costs one Argon2id hash (about 20 to 60 ms of one core at the OWASP cost), so
     * this keeps a flood from many addresses below what the hashing pool of a small machine can
     * do; what exceeds the pool anyway gets 503 (see {@link RelayConfig.Hashing}). Attempts for
     * names that do not exist cost no hash and are not counted here, so a flood of made-up names
     * cannot use up real users' logins.
     */
    LOGIN_GLOBAL("login attempts on this relay", new Limit(100, Duration.ofSeconds(10)), false),
    /**
     * Second-factor codes tried per account (at login, confirming, turning it off), from every
     * address together: 5, then one per 3 minutes. A code is 6 digits with 3 accepted at a time,
     * so guessing takes about 10^6 / 3 tries: some 700 days at this rate. 1,000 tries take over
     * 49 hours, and the account's owner waits at most 3 minutes for a try of their own.
     */
    MFA("second-factor codes", new Limit(5, Duration.ofMinutes(15)), true),
    /** Account registrations per client address: 10, then one per 6 minutes. */
    REGISTRATION("registrations", new Limit(10, Duration.ofHours(1)), true),
    /** Messages sent per account: 100, then one per 6 s. */
    SEND("messages sent", new Limit(100, Duration.ofMinutes(10)), false),
    /**
     * Resumable uploads created per account: 1,000, then one per 0.6 s. The bucket holds
     * {@link Api#MAX_BLOBS_PER_MESSAGE} so that the largest message the protocol allows can be
     * sent without waiting; the storage quota, not this, bounds what an account holds.
     */
    UPLOAD("uploads created", new Limit(Api.MAX_BLOBS_PER_MESSAGE, Duration.ofMinutes(10)), false);

    private final String description;
    private final Limit defaultLimit;
    private final boolean acrossNodes;

    RateLimit(String description, Limit defaultLimit, boolean acrossNodes) {
        this.description = description;
        this.defaultLimit = defaultLimit;
        this.acrossNodes = acrossNodes;
    }

    /**
     * @return true for the limits against guessing passwords, codes and accounts, whose buckets
     *         are kept in a PostgreSQL database and so hold across relay nodes; false for the
     *         throughput limits, counted by each node alone (see the class comment)
     */
    public boolean acrossNodes() {
        return acrossNodes;
    }

    /** @return what is counted, for error messages ("login attempts") */
    public String description() {
        return description;
    }

    /** @return the limit used unless the configuration overrides it */
    public Limit defaultLimit() {
        return defaultLimit;
    }

    /**
     * A token bucket.
     *
     * @param permits requests allowed at once (the bucket's size), at least 1
     * @param period  time in which an empty bucket fills up again, positive
     */
    public record Limit(int permits, Duration period) {
        /** @throws IllegalArgumentException if permits &lt; 1 or the period is not positive */
        public Limit {
            Objects.requireNonNull(period, "period");
            if (permits < 1) {
                throw new IllegalArgumentException("permits must be at least 1");
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("period must be positive");
            }
        }
    }
}
