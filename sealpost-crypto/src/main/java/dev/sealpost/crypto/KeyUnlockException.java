package dev.sealpost.crypto;

import java.security.GeneralSecurityException;

/**
 * A private key of an identity could not be made ready for use: its file did not decrypt
 * ({@link WrongPassphraseException}), was malformed, or held a key that does not belong to its
 * certificate. The message names the key file where it is known.
 *
 * <p>Thrown where a key is first needed when the identity was opened with
 * {@link IdentityFiles#open}, which decrypts keys in the background or on demand.
 */
public class KeyUnlockException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the key file; never holds the passphrase
     * @param cause the underlying failure, or null
     */
    public KeyUnlockException(String message, Throwable cause) {
        super(message, cause);
    }
}
