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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bearer tokens (RFC 6750): issues them at login and turns an {@code Authorization} header
 * back into the account it authenticates. Only the token's SHA-256 is stored.
 *
 * <p>A session read from the store is remembered for {@link #CACHE_FOR} (at most
 * {@link #CACHE_ENTRIES} of them), so that a client's burst of requests costs one database
 * read rather than one each. A session revoked through this relay is forgotten at once (before
 * the revocation returns), so it stops working here immediately; one revoked through another
 * node of the same relay (a shared PostgreSQL) may still work here for up to {@link #CACHE_FOR}.
 * Expiry is checked on every request, cached or not.
 */
final class SessionManager {
    /**
     * An authenticated caller.
     *
     * @param tokenHash the session's token hash, to tell it apart from the account's other sessions
     */
    record Caller(String account, Instant expiresAt, String tokenHash) {}

    /** A session's last use is written at most this often: every request would otherwise be a database write. */
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
    /** Most sessions remembered at once (about 300 bytes each); past it, sessions are read every time. */
    static final int CACHE_ENTRIES = 10_000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionManager.class);
    private final MetadataStore store;
    private final Duration ttl;
    private final Clock clock;

    /** A session as read from the store at {@code readAt} ({@link System#nanoTime()}). */
    private record Cached(TokenRecord record, long readAt) {}

    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /**
     * Counts revocations (after their deletion committed): a session read before one may be gone,
     * so it stays cached only if the count did not change during its read (else a request racing
     * a logout could cache the session the logout just forgot).
     */
    private final AtomicLong revocations = new AtomicLong();

    SessionManager(MetadataStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
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
        if (t.lastUsedAt() == null || !now.isBefore(t.lastUsedAt().plus(TOUCH_EVERY))) {
            Instant used = now.truncatedTo(ChronoUnit.MILLIS);
            try {
                store.touchToken(t.tokenHash(), used);
                TokenRecord touched = new TokenRecord(t.tokenHash(), t.account(), t.createdAt(), t.expiresAt(), used,
                        t.client(), t.address());
                cache.computeIfPresent(hash, (h, c) -> new Cached(touched, c.readAt()));
            } catch (StoreException e) { // a full disk, say: the session list is a nicety, the request is not
                LOG.debug("last use of a session not recorded: {}", e.getMessage());
            }
        }
        return new Caller(t.account(), t.expiresAt(), t.tokenHash());
    }

    /**
     * @return the session of {@code hash}: remembered if read less than {@link #CACHE_FOR} ago, else from the store
     * @throws ApiError.Unauthorized if the store has no such session
     */
    private TokenRecord session(String hash) {
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        if (cached != null && now - cached.readAt() < CACHE_FOR.toNanos()) {
            return cached.record();
        }
        long before = revocations.get();
        Optional<TokenRecord> record = store.token(hash);
        if (record.isEmpty()) {
            cache.remove(hash);
            throw new ApiError.Unauthorized(INVALID, true);
        }
        if (cache.size() >= CACHE_ENTRIES) {
            cache.values().removeIf(c -> now - c.readAt() >= CACHE_FOR.toNanos());
        }
        if (cache.size() < CACHE_ENTRIES) {
            cache.put(hash, new Cached(record.get(), now));
            if (revocations.get() != before) { // a revocation ran meanwhile: it may have missed this entry
                cache.remove(hash);
            }
        }
        return record.get();
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
}
