package dev.sealpost.relay;

import dev.sealpost.protocol.SessionResponse;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.TokenRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * Bearer tokens (RFC 6750): issues them at login and turns an {@code Authorization} header
 * back into the account it authenticates. Only the token's SHA-256 is stored.
 */
final class SessionManager {
    /** An authenticated caller. */
    record Caller(String account, Instant expiresAt) {}

    /** Expired sessions are kept this long, so their holders hear "token expired" rather than "invalid token". */
    static final Duration EXPIRED_GRACE = Duration.ofDays(1);
    static final String EXPIRED = "token expired; log in again";
    static final String INVALID = "invalid token; log in again";
    private static final String BEARER = "bearer ";

    private final MetadataStore store;
    private final Duration ttl;
    private final Clock clock;

    SessionManager(MetadataStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** @return a new token for {@code account}, valid for the configured time */
    SessionResponse issue(String account) {
        String token = RandomIds.token();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = now.plus(ttl);
        store.createToken(new TokenRecord(RandomIds.tokenHash(token), account, now, expiresAt));
        return new SessionResponse(token, expiresAt);
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
        Optional<TokenRecord> record = RandomIds.isToken(token)
                ? store.token(RandomIds.tokenHash(token)) : Optional.empty();
        if (record.isEmpty()) {
            throw new ApiError.Unauthorized(INVALID, true);
        }
        TokenRecord t = record.get();
        if (!clock.instant().isBefore(t.expiresAt())) {
            throw new ApiError.Unauthorized(EXPIRED, true);
        }
        return new Caller(t.account(), t.expiresAt());
    }

    /** @return how many long-expired sessions were deleted */
    int sweep() {
        return store.deleteTokensExpiredBy(clock.instant().minus(EXPIRED_GRACE));
    }
}
