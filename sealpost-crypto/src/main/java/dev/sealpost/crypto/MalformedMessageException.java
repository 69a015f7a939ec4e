package dev.sealpost.crypto;

import java.io.IOException;

/**
 * The input is not a message sealpost can open: not DER, truncated, trailing bytes, the wrong
 * CMS content type, or a structure sealpost refuses by policy (for example unauthenticated
 * EnvelopedData instead of AuthEnvelopedData, RFC 5083).
 *
 * <p>The message is one coarse line fit to show a person; it never contains key material or
 * content bytes.
 */
public class MalformedMessageException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message one line, no secrets */
    public MalformedMessageException(String message) {
        super(message);
    }

    /**
     * @param message one line, no secrets
     * @param cause the parser's exception, kept for debugging
     */
    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
