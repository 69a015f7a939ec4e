package dev.sealpost.relay;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SessionInfo;
import dev.sealpost.protocol.SessionList;
import dev.sealpost.protocol.SessionResponse;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.StoreException;
import dev.sealpost.relay.store.TokenRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bearer tokens (RFC 6750): issues them at login and turns an {@code Authorization} header
 * back into the account it authenticates. Only the token's SHA-256 is stored.
 *
 * <p>A session read from the store is trusted for {@link #CACHE_FOR} (at most
 * {@link #CACHE_ENTRIES} of them), so that a client's burst of requests costs one database
 * read rather than one each. Once a remembered session is {@link #REFRESH_AFTER} old, the next
 * request that uses it starts a read in the background and is served from memory; a session in
 * steady use is therefore never waited for. Requests that need a session nobody remembers (or
 * one older than {@link #CACHE_FOR}) share one read of it: a thousand requests arriving in the
 * same millisecond cost one database round trip, not a thousand.
 *
 * <p>A session revoked through this relay is forgotten at once (before the revocation
 * returns), so it stops working here immediately: no read that began before the revocation
 * is shared with a request that arrives after it, or remembered. One revoked through another
 * node of the same relay (a shared PostgreSQL) may still work here for up to {@link #CACHE_FOR}
 * after the last read that saw it. Expiry is checked on every request, remembered or not.
 */
final class SessionManager implements AutoCloseable {
    /**
     * An authenticated caller.
     *
     * @param tokenHash the session's token hash, to tell it apart from the account's other sessions
     */
    record Caller(String account, Instant expiresAt, String tokenHash) {}

    /**
     * A session's last use is written at most this often (every request would otherwise be a
     * database write), by the first request that finds it due; requests that find it due while
     * that write runs do not write or wait.
     */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /** Characters of a client's {@code User-Agent} kept. */
    static final int CLIENT_CHARS = 100;

    /** Expired sessions are kept this long, so their holders hear "token expired" rather than "invalid token". */
    static final Duration EXPIRED_GRACE = Duration.ofDays(1);
    static final String EXPIRED = "token expired; log in again";
    static final String INVALID = "invalid token; log in again";
    private static final String BEARER = "bearer ";

    /**
     * Longest time a session read from the store is trusted without reading it again: the
     * bound on how long a session revoked on another node keeps working on this one.
     */
    static final Duration CACHE_FOR = Duration.ofSeconds(1);
    /** Age at which a remembered session in use is read again in the background. */
    static final Duration REFRESH_AFTER = CACHE_FOR.dividedBy(2);
    /** Background reads waiting at most; past it, sessions are read when they are needed. */
    static final int REFRESH_QUEUE = 1_000;
    /** Most sessions remembered at once (about 300 bytes each); past it, sessions are read every time. */
    static final int CACHE_ENTRIES = 10_000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionManager.class);
    private final MetadataStore store;
    private final Duration ttl;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Executor refresher;
    private final ExecutorService ownRefresher;

    /** A session as read from the store by a read that began at {@code readAt} ({@link #nanoTime}). */
    private record Cached(TokenRecord record, long readAt) {}

    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /**
     * Sessions whose last use a request is writing now, by token hash. Every request that uses a
     * session finds the write due until the first one has written it; without this each of them
     * wrote it, and on PostgreSQL those updates of one row wait for each other's commits while
     * more requests arrive and join them (docs/DECISIONS.md).
     */
    private final Set<String> touching = ConcurrentHashMap.newKeySet();
    /** The read of each session under way or waiting for the refresher, by token hash. */
    private final ConcurrentHashMap<String, Read> reads = new ConcurrentHashMap<>();
    /**
     * Counts revocations (after their deletion committed): a session read before one may be gone,
     * so it stays cached only if the count did not change during its read (else a request racing
     * a logout could cache the session the logout just forgot).
     */
    private final AtomicLong revocations = new AtomicLong();

    /**
     * @param ttl   how long an issued token is valid
     * @param clock the wall clock of expiry and last use
     */
    SessionManager(MetadataStore store, Duration ttl, Clock clock) {
        this(store, ttl, clock, System::nanoTime, null);
    }

    /**
     * @param nanoTime  the monotonic clock of {@link #CACHE_FOR}, in nanoseconds ({@link System#nanoTime()} but in tests)
     * @param refresher runs background reads; null for a thread of this manager's own, stopped by {@link #close()}
     */
    SessionManager(MetadataStore store, Duration ttl, Clock clock, LongSupplier nanoTime, Executor refresher) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
        this.nanoTime = nanoTime;
        if (refresher == null) {
            // One thread: a read takes well under a millisecond, so it refreshes thousands of
            // sessions in use a second while holding at most one database connection.
            this.ownRefresher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(REFRESH_QUEUE),
                    Thread.ofPlatform().name("sealpost-relay-sessions").daemon().factory());
            this.refresher = ownRefresher;
        } else {
            this.ownRefresher = null;
            this.refresher = refresher;
        }
    }

    /**
     * @param client  the login's {@code User-Agent}, or null
     * @param address the login's client address, or null
     * @return a new token for {@code account}, valid for the configured time
     */
    SessionResponse issue(String account, String client, String address) {
        String token = RandomIds.token();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = now.plus(ttl);
        String shortClient = client == null ? null
                : (client.length() > CLIENT_CHARS ? client.substring(0, CLIENT_CHARS) : client).replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
        store.createToken(new TokenRecord(RandomIds.tokenHash(token), account, now, expiresAt, null, shortClient, address));
        return new SessionResponse(token, expiresAt);
    }

    /** @return the caller's account's sessions, oldest first, the caller's marked */
    SessionList list(Caller caller) {
        return new SessionList(store.tokens(caller.account(), clock.instant()).stream()
                .map(t -> new SessionInfo(t.id(), t.createdAt(), t.lastUsedAt(), t.expiresAt(), t.client(), t.address(),
                        t.tokenHash().equals(caller.tokenHash())))
                .toList());
    }

    /**
     * Revokes one of the caller's account's sessions; {@link Api#CURRENT_SESSION} is the caller's own (log out).
     *
     * @throws ApiError.NotFound if the account has no session with that id
     */
    void revoke(Caller caller, String id) {
        String target = Api.CURRENT_SESSION.equals(id) ? caller.tokenHash().substring(0, TokenRecord.ID_LENGTH) : id;
        if (target == null || !target.matches("[0-9a-f]{" + TokenRecord.ID_LENGTH + "}")) {
            throw new ApiError.NotFound("no such session");
        }
        try {
            if (!store.deleteToken(caller.account(), target)) {
                throw new ApiError.NotFound("no such session");
            }
        } finally {
            forget(caller.account(), hash -> hash.startsWith(target));
        }
    }

    /** Revokes every session of the caller's account but the caller's. @return how many */
    int revokeOthers(Caller caller) {
        try {
            return store.deleteTokensExcept(caller.account(), caller.tokenHash());
        } finally {
            forget(caller.account(), hash -> !hash.equals(caller.tokenHash()));
        }
    }

    /**
     * Forgets the cached sessions of {@code account} whose token hash {@code which} accepts; call
     * after their deletion committed. The count goes up first: a read that saw a session before
     * the deletion and caches it after this removal sees the count changed, and takes it out again.
     */
    private void forget(String account, java.util.function.Predicate<String> which) {
        revocations.incrementAndGet();
        cache.values().removeIf(c -> c.record().account().equals(account) && which.test(c.record().tokenHash()));
    }

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @return the caller its token authenticates, until the token expires
     * @throws ApiError.Unauthorized if the header is missing or malformed, or the token unknown or expired
     */
    Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiError.Unauthorized("missing bearer token: log in first", false);
        }
        String a = authorization.strip();
        if (!a.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            throw new ApiError.Unauthorized("expected Authorization: Bearer TOKEN", false);
        }
        String token = a.substring(BEARER.length()).strip();
        if (!RandomIds.isToken(token)) {
            throw new ApiError.Unauthorized(INVALID, true);
        }
        String hash = RandomIds.tokenHash(token);
        TokenRecord t = session(hash);
        Instant now = clock.instant();
        if (!now.isBefore(t.expiresAt())) {
            throw new ApiError.Unauthorized(EXPIRED, true);
        }
        if ((t.lastUsedAt() == null || !now.isBefore(t.lastUsedAt().plus(TOUCH_EVERY))) && touching.add(hash)) {
            try {
                touch(hash, now.truncatedTo(ChronoUnit.MILLIS));
            } finally {
                touching.remove(hash);
            }
        }
        return new Caller(t.account(), t.expiresAt(), t.tokenHash());
    }

    /**
     * Writes {@code used} as the last use of {@code hash}'s session, and remembers it. Called by
     * one request at a time per session ({@link #touching}); the others that find the write due
     * meanwhile go on without it.
     */
    private void touch(String hash, Instant used) {
        try {
            store.touchToken(hash, used);
            cache.computeIfPresent(hash, (h, c) -> {
                TokenRecord r = c.record();
                Instant later = r.lastUsedAt() != null && r.lastUsedAt().isAfter(used) ? r.lastUsedAt() : used;
                return new Cached(new TokenRecord(r.tokenHash(), r.account(), r.createdAt(), r.expiresAt(), later,
                        r.client(), r.address()), c.readAt());
            });
        } catch (StoreException e) { // a full disk, say: the session list is a nicety, the request is not
            LOG.debug("last use of a session not recorded: {}", e.getMessage());
        }
    }

    /**
     * @return the session of {@code hash}: remembered if its read began less than
     *         {@link #CACHE_FOR} ago (read again in the background past {@link #REFRESH_AFTER}),
     *         else from the store, in a read shared with the requests that need it too
     * @throws ApiError.Unauthorized if the store has no such session
     * @throws StoreException        if the store cannot be read
     */
    private TokenRecord session(String hash) {
        long now = nanoTime.getAsLong();
        Cached cached = cache.get(hash);
        if (cached != null) {
            long age = now - cached.readAt();
            if (age < CACHE_FOR.toNanos()) {
                if (age >= REFRESH_AFTER.toNanos()) {
                    refreshInBackground(hash);
                }
                return cached.record();
            }
        }
        long revoked = revocations.get();
        Read read = reads.compute(hash, (h, r) -> r != null && r.canServe(revoked) ? r : new Read(h, revoked));
        read.runUnlessClaimed(); // the refresher has not started it (or it is new): waiting for the queue would be slower
        Optional<TokenRecord> record;
        try {
            record = read.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
        return record.orElseThrow(() -> new ApiError.Unauthorized(INVALID, true));
    }

    /** Queues a read of {@code hash} unless one is under way or waiting, or the queue is full. */
    private void refreshInBackground(String hash) {
        if (reads.containsKey(hash)) {
            return;
        }
        Read read = new Read(hash, revocations.get());
        if (reads.putIfAbsent(hash, read) != null) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    read.runUnlessClaimed();
                } catch (RuntimeException e) { // the request that finds the session too old reads it, and reports it
                    LOG.debug("background read of a session failed: {}", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) { // queue full or closing: read when needed
            reads.remove(hash, read);
        }
    }

    /**
     * One read of a session from the store: run by whichever claims it first (the refresher, or
     * a request that cannot wait for it), its outcome shared by every request that joined it.
     */
    private final class Read {
        final String hash;
        /** {@link #revocations} when this read was created: it began after every revocation counted. */
        final long revocationsBefore;
        final CompletableFuture<Optional<TokenRecord>> result = new CompletableFuture<>();
        private final AtomicBoolean claimed = new AtomicBoolean();

        Read(String hash, long revocationsBefore) {
            this.hash = hash;
            this.revocationsBefore = revocationsBefore;
        }

        /**
         * @return whether a request that saw {@code revoked} revocations may take this read's
         *         outcome: only if no revocation completed since it was created (else it may have
         *         seen a session revoked before that request began), and it is not done (a done
         *         read is remembered or about to leave {@link #reads})
         */
        boolean canServe(long revoked) {
            return revocationsBefore == revoked && !result.isDone();
        }

        /** Reads the session, remembers it and completes {@link #result}, unless another thread has claimed that. */
        void runUnlessClaimed() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                long readAt = nanoTime.getAsLong();
                Optional<TokenRecord> record = store.token(hash);
                remember(hash, record, readAt, revocationsBefore);
                result.complete(record);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                throw e;
            } finally {
                reads.remove(hash, this);
            }
        }
    }

    /**
     * Remembers what a read that began at {@code readAt} found, unless a revocation completed
     * since {@code revocationsBefore} (it may have missed this entry), or forgets a session the
     * store no longer has. Of two reads of one session, the one that began later is kept.
     */
    private void remember(String hash, Optional<TokenRecord> record, long readAt, long revocationsBefore) {
        if (record.isEmpty()) {
            cache.remove(hash);
            return;
        }
        if (cache.size() >= CACHE_ENTRIES) {
            long now = nanoTime.getAsLong();
            cache.values().removeIf(c -> now - c.readAt() >= CACHE_FOR.toNanos());
        }
        if (cache.size() < CACHE_ENTRIES) {
            cache.merge(hash, new Cached(record.get(), readAt), (old, read) -> read.readAt() - old.readAt() >= 0 ? read : old);
            if (revocations.get() != revocationsBefore) { // a revocation ran meanwhile: it may have missed this entry
                cache.remove(hash);
            }
        }
    }

    /** @return how many long-expired sessions were deleted */
    int sweep() {
        Instant cutoff = clock.instant().minus(EXPIRED_GRACE);
        try {
            return store.deleteTokensExpiredBy(cutoff);
        } finally { // their holders hear "invalid token" now, as from the store
            revocations.incrementAndGet();
            cache.values().removeIf(c -> !c.record().expiresAt().isAfter(cutoff));
        }
    }

    /**
     * Stops the background reads, waiting up to a second for the one under way (less if this
     * thread is interrupted, whose interrupt status is kept, as {@link AutoCloseable#close()} advises).
     */
    @Override
    public void close() {
        if (ownRefresher != null) {
            ownRefresher.shutdown();
            try {
                ownRefresher.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
