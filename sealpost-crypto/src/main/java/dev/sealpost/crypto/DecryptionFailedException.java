package dev.sealpost.crypto;

import java.security.GeneralSecurityException;

/**
 * The message is addressed to the opener but cannot be decrypted: the content-encryption key
 * does not unwrap, or the AES-GCM tag does not verify (RFC 5084), or the key transport uses an
 * algorithm sealpost refuses (RSA PKCS#1 v1.5). No plaintext is released in any of these cases.
 *
 * <p>The message is deliberately coarse, so that it tells an attacker nothing about which step
 * failed (RFC 3218).
 */
public class DecryptionFailedException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /** The standard message for every integrity or key-unwrap failure. */
    static final String MODIFIED = "decryption failed: the message was modified or damaged";

    /** With the standard message "decryption failed: the message was modified or damaged". */
    public DecryptionFailedException() {
        super(MODIFIED);
    }

    /** @param message one line, no secrets */
    public DecryptionFailedException(String message) {
        super(message);
    }

    /**
     * @param message one line, no secrets
     * @param cause the underlying failure, kept for debugging
     */
    public DecryptionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
