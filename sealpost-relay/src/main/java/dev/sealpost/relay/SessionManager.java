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

/**
 * Bearer tokens (RFC 6750): issues them at login and turns an {@code Authorization} header
 * back into the account it authenticates. Only the token's SHA-256 is stored.
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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionManager.class);
    private final MetadataStore store;
    private final Duration ttl;
    private final Clock clock;

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
        if (target == null || !target.matches("[0-9a-f]{" + TokenRecord.ID_LENGTH + "}") || !store.deleteToken(caller.account(), target)) {
            throw new ApiError.NotFound("no such session");
        }
    }

    /** Revokes every session of the caller's account but the caller's. @return how many */
    int revokeOthers(Caller caller) {
        return store.deleteTokensExcept(caller.account(), caller.tokenHash());
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
        Instant now = clock.instant();
        if (!now.isBefore(t.expiresAt())) {
            throw new ApiError.Unauthorized(EXPIRED, true);
        }
        if (t.lastUsedAt() == null || !now.isBefore(t.lastUsedAt().plus(TOUCH_EVERY))) {
            try {
                store.touchToken(t.tokenHash(), now.truncatedTo(ChronoUnit.MILLIS));
            } catch (StoreException e) { // a full disk, say: the session list is a nicety, the request is not
                LOG.debug("last use of a session not recorded: {}", e.getMessage());
            }
        }
        return new Caller(t.account(), t.expiresAt(), t.tokenHash());
    }

    /** @return how many long-expired sessions were deleted */
    int sweep() {
        return store.deleteTokensExpiredBy(clock.instant().minus(EXPIRED_GRACE));
    }
}
