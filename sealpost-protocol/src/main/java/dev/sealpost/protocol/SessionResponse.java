package dev.sealpost.protocol;

import java.time.Instant;

/**
 * Answer to a login.
 *
 * @param token     an opaque bearer token (base64url of 32 random bytes); a secret
 * @param expiresAt when the relay stops accepting it
 */
public record SessionResponse(String token, Instant expiresAt) {
    @Override
    public String toString() {
        return "SessionResponse[token=[REDACTED], expiresAt=" + expiresAt + "]";
    }
}
