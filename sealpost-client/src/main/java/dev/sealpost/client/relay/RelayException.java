package dev.sealpost.client.relay;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * A request to the relay that did not succeed, as one of four kinds a caller can act on:
 * the relay {@link Refused refused} it (an HTTP error status), {@link RateLimited rate-limited}
 * it (try again later), could not be {@link Unreachable reached} (no HTTP answer: refused
 * connection, time-out, a connection that broke), or was not the pinned relay
 * ({@link Untrusted}, a security failure). Messages are one line for a person, name the relay
 * by host and port, and never hold a token, a password or key material.
 */
public abstract sealed class RelayException extends IOException {
    private static final long serialVersionUID = 1L;

    private RelayException(String message) {
        super(message);
    }

    /** The relay answered with an HTTP error status (other than a rate limit). */
    public static final class Refused extends RelayException {
        private static final long serialVersionUID = 1L;
        private final int status;

        /**
         * @param status  the HTTP status, 400 to 599
         * @param message one line
         * @throws IllegalArgumentException if {@code status} is not an error status
         */
        public Refused(int status, String message) {
            super(message);
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
            this.status = status;
        }

        /** @return the HTTP status */
        public int status() {
            return status;
        }
    }

    /** The relay asked the client to slow down: 429, or 503 with {@code Retry-After} (RFC 9110 §10.2.3). */
    public static final class RateLimited extends RelayException {
        private static final long serialVersionUID = 1L;
        private final long retryAfterSeconds;

        /**
         * @param message           one line
         * @param retryAfterSeconds the {@code Retry-After} delay in seconds, or -1 if none was given
         */
        public RateLimited(String message, long retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** @return seconds to wait before trying again, when the relay said so */
        public OptionalLong retryAfterSeconds() {
            return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
        }
    }

    /**
     * No HTTP answer came: the connection was refused or timed out, TLS failed for a reason other
     * than the pin, or the connection broke during the exchange. A transfer can resume from what
     * the relay stored.
     */
    public static final class Unreachable extends RelayException {
        private static final long serialVersionUID = 1L;

        /** @param message one line */
        public Unreachable(String message) {
            super(message);
        }
    }

    /** The relay's TLS certificate is not the pinned one: a security failure, not a network one. */
    public static final class Untrusted extends RelayException {
        private static final long serialVersionUID = 1L;

        /** @param message one line naming both fingerprints */
        public Untrusted(String message) {
            super(message);
        }
    }

    /** @return true if the relay answered {@code status} (a {@link Refused} with that status) */
    public boolean is(int status) {
        return this instanceof Refused r && r.status() == status;
    }
}
