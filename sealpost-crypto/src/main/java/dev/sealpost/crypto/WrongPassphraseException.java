package dev.sealpost.crypto;

/**
 * An encrypted private key file (PKCS#8, RFC 5958 §3) did not decrypt with the given
 * passphrase. A corrupted file looks the same to the decryptor, so the message says both.
 */
public class WrongPassphraseException extends KeyUnlockException {
    private static final long serialVersionUID = 1L;

    /** With the standard message "wrong passphrase (or corrupt key file)". */
    public WrongPassphraseException() {
        super("wrong passphrase (or corrupt key file)", null);
    }

    /** @param cause the decryptor's failure, kept for debugging; its text never holds the passphrase */
    public WrongPassphraseException(Throwable cause) {
        super("wrong passphrase (or corrupt key file)", cause);
    }
}
