package dev.sealpost.crypto;

import java.security.GeneralSecurityException;

/**
 * An encrypted blob (see {@link BlobCipher}) does not decrypt: its length is impossible, it is
 * truncated, its header is malformed, a segment fails AES-GCM authentication (modified, reordered,
 * cut short or under another key), or the SHA-256 of the ciphertext is not the expected one.
 *
 * <p>The message is one line fit to show a person, naming the failing segment where there is
 * one (segments are numbered from 1); it never contains key material or content bytes. Plaintext
 * already written before the failure must be discarded by the caller.
 */
public class BlobIntegrityException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /** @param message one line, no secrets */
    public BlobIntegrityException(String message) {
        super(message);
    }

    /**
     * @param message one line, no secrets
     * @param cause the underlying failure, kept for debugging
     */
    public BlobIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
