package dev.sealpost.client;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * The relay refused a request, or could not be reached, or was not the pinned relay.
 * The message is one line for a person and holds no secrets.
 */
public class RelayException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final long retryAfterSeconds;

    /**
     * @param status            the HTTP status, or 0 when no answer came
     * @param message           one line
     * @param retryAfterSeconds the Retry-After value for 429/503, or -1
     */
    public RelayException(int status, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** @return the HTTP status, or 0 when the relay gave no HTTP answer */
    public int status() {
        return status;
    }

    /** @return seconds to wait before trying again, when the relay said so */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }

    /** The relay's TLS certificate is not the pinned one: a security failure, not a network one. */
    public static final class UntrustedRelayException extends RelayException {
        private static final long serialVersionUID = 1L;

        /** @param message one line naming both fingerprints */
        public UntrustedRelayException(String message) {
            super(0, message, -1);
        }
    }
}
