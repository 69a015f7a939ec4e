package dev.sealpost.relay;

import java.time.Duration;

/**
 * A request the relay refuses, with a one-line reason for a person. {@link ErrorMapper} is
 * the one place that turns each kind into an HTTP status. Messages never contain secrets.
 */
abstract sealed class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private ApiError(String message) {
        super(message, null, false, false);
    }

    /** 400: malformed or invalid request. */
    static final class BadRequest extends ApiError {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /** 401: no, unknown or expired token, or wrong name or password. */
    static final class Unauthorized extends ApiError {
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

    /** 403: refused for what it is, whoever asks (certificates not from the relay's organisation CA). */
    static final class Forbidden extends ApiError {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message);
        }
    }

    /** 404: unknown account or message, including one the caller may not see. */
    static final class NotFound extends ApiError {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    /** 409: the account name is taken, or an upload is attached to a message or busy. */
    static final class Conflict extends ApiError {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message);
        }
    }

    /** 409 with {@code Upload-Offset}: a tus {@code PATCH} did not start at the upload's durable offset. */
    static final class OffsetMismatch extends ApiError {
        private static final long serialVersionUID = 1L;
        private final long offset;

        /** @param offset the upload's durable offset, in bytes, sent back as {@code Upload-Offset} */
        OffsetMismatch(String message, long offset) {
            super(message);
            this.offset = offset;
        }

        long offset() {
            return offset;
        }
    }

    /** 412 with {@code Tus-Version}: a tus request without {@code Tus-Resumable: 1.0.0}. */
    static final class PreconditionFailed extends ApiError {
        private static final long serialVersionUID = 1L;

        PreconditionFailed(String message) {
            super(message);
        }
    }

    /** 415: a request body of the wrong media type. */
    static final class UnsupportedMediaType extends ApiError {
        private static final long serialVersionUID = 1L;

        UnsupportedMediaType(String message) {
            super(message);
        }
    }

    /** 416 with {@code Content-Range: bytes *}{@code /TOTAL}: a byte range that starts past the end. */
    static final class RangeNotSatisfiable extends ApiError {
        private static final long serialVersionUID = 1L;
        private final long total;

        /** @param total the blob's size in bytes */
        RangeNotSatisfiable(long total) {
            super("range not satisfiable: the blob has " + total + " bytes");
            this.total = total;
        }

        long total() {
            return total;
        }
    }

    /** 413: the body is larger than the relay accepts. */
    static final class TooLarge extends ApiError {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /** 429 without {@code Retry-After}: a count limit (not a rate) is reached, e.g. unfinished uploads. */
    static final class LimitReached extends ApiError {
        private static final long serialVersionUID = 1L;

        LimitReached(String message) {
            super(message);
        }
    }

    /**
     * 503 with {@code Retry-After}: the relay is at a bound of its own (not the caller's), e.g.
     * every place in the password-hashing queue is taken; waiting helps.
     */
    static final class Busy extends ApiError {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        /** @param retryAfter how long to wait before trying again; sent in whole seconds, at least 1 */
        Busy(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        /** @return whole seconds until a retry may succeed, at least 1 */
        long retryAfterSeconds() {
            return RateLimited.seconds(retryAfter);
        }
    }

    /** 429: a {@link RateLimit} is exhausted. */
    static final class RateLimited extends ApiError {
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

        static long seconds(Duration d) {
            long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
            return Math.max(1, s);
        }
    }

    /**
     * 507: the relay could not store the bytes (a disk that is full or failing); nothing of
     * the request was kept past the last durable offset. Comes with {@code Retry-After}.
     */
    static final class InsufficientStorage extends ApiError {
        private static final long serialVersionUID = 1L;
        /** Seconds a client should wait before trying again. */
        static final long RETRY_AFTER_SECONDS = 60;

        InsufficientStorage(String message) {
            super(message);
        }
    }
}
