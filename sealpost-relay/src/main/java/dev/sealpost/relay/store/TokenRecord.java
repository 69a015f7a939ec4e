package dev.sealpost.relay.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A session: the hash of a bearer token, never the token.
 *
 * @param tokenHash  hex SHA-256 of the token (64 lowercase digits)
 * @param account    the account it authenticates
 * @param createdAt  when it was issued (millisecond precision)
 * @param expiresAt  when it stops being accepted (millisecond precision)
 * @param lastUsedAt when a request last used it (written at most once a minute), or null
 * @param client     the {@code User-Agent} of the login, or null
 * @param address    the client address of the login, or null
 */
public record TokenRecord(String tokenHash, String account, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                          String client, String address) {
    /** Characters of {@link #tokenHash} that name the session in lists and revocations. */
    public static final int ID_LENGTH = 16;

    /** @throws NullPointerException if a required component is null */
    public TokenRecord {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A session not used yet, of an unknown client. */
    public TokenRecord(String tokenHash, String account, Instant createdAt, Instant expiresAt) {
        this(tokenHash, account, createdAt, expiresAt, null, null, null);
    }

    /**
     * @return the session's public id: the first {@value #ID_LENGTH} hex digits of the token's
     *         SHA-256 (64 bits of a hash of 256 random bits: it names the session and reveals
     *         nothing usable of the token)
     */
    public String id() {
        return tokenHash.substring(0, ID_LENGTH);
    }
}
