package dev.sealpost.crypto;

import java.security.GeneralSecurityException;

/**
 * The signature of a decrypted message does not prove that the trusted sender signed exactly
 * this content: it does not verify, it was made by a different key than the one trusted for
 * the sender, or it uses an algorithm sealpost does not accept. The content must then be
 * discarded.
 */
public class VerificationFailedException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /** @param message one line, no secrets, for example "signature does not verify" */
    public VerificationFailedException(String message) {
        super(message);
    }

    /**
     * @param message one line, no secrets
     * @param cause the underlying failure, kept for debugging
     */
    public VerificationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
