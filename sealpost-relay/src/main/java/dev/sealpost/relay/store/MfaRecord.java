package dev.sealpost.relay.store;

import java.time.Instant;

/**
 * An account's second factor as stored.
 *
 * @param account   the account
 * @param secret    the TOTP secret, encrypted under the relay's key (never the secret itself)
 * @param confirmed whether a code confirmed it, so that logins need it
 * @param lastStep  the newest TOTP time step accepted (RFC 6238 §5.2); -1 before any
 * @param createdAt when enrolment began
 */
public record MfaRecord(String account, String secret, boolean confirmed, long lastStep, Instant createdAt) {
    @Override
    public String toString() {
        return "MfaRecord[" + account + ", confirmed=" + confirmed + ", lastStep=" + lastStep + "]";
    }
}
