package dev.sealpost.relay;

import java.time.Duration;

/**
 * A request the relay refuses, with a one-line reason for a person. {@link ErrorMapper} is
 * the one place that turns each kind into an HTTP status. Messages never contain secrets.
 */
abstract sealed class RelayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private RelayException(String message) {
        super(message, null, false, false);
    }

    /** 400: malformed or invalid request. */
    static final class BadRequest extends RelayException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /** 401: no, unknown or expired token, or wrong name or password. */
    static final class Unauthorized extends RelayException {
        private static final long serialVersionUID = 1L;
        private final boolean invalidToken;

        /** @param invalidToken true if a token was presented but not accepted (RFC 6750 {@code invalid_token}) */
        Unauthorized(String message, boolean invalidToken) {
            super(message);
            this.invalidToken = invalidToken;
        }

        boolean invalidToken() {
            return invalidToken;
        }
    }

    /** 404: unknown account or message, including one the caller may not see. */
    static final class NotFound extends RelayException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    /** 409: the account name is taken. */
    static final class Conflict extends RelayException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message);
        }
    }

    /** 413: the body is larger than the relay accepts. */
    static final class TooLarge extends RelayException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /** 429: a {@link RateLimit} is exhausted. */
    static final class RateLimited extends RelayException {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        RateLimited(RateLimit limit, Duration retryAfter) {
            super("too many " + limit.description() + "; retry in " + seconds(retryAfter) + " s");
            this.retryAfter = retryAfter;
        }

        /** @return whole seconds until a retry can succeed, at least 1 */
        long retryAfterSeconds() {
            return seconds(retryAfter);
        }

        private static long seconds(Duration d) {
            long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
            return Math.max(1, s);
        }
    }
}
