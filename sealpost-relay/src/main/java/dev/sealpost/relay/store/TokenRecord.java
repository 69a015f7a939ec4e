package dev.sealpost.relay.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A session: the hash of a bearer token, never the token.
 *
 * @param tokenHash hex SHA-256 of the token (64 lowercase digits)
 * @param account   the account it authenticates
 * @param createdAt when it was issued (millisecond precision)
 * @param expiresAt when it stops being accepted (millisecond precision)
 */
public record TokenRecord(String tokenHash, String account, Instant createdAt, Instant expiresAt) {
    /** @throws NullPointerException if any component is null */
    public TokenRecord {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
