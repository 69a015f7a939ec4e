package dev.sealpost.client;

import java.security.GeneralSecurityException;

/**
 * A message decrypted and its signature verified, but what was signed contradicts where it
 * came from: the signed From is not the signer, the receiver is not among the signed
 * recipients, or the message was already received (a replay). Nothing of it is saved.
 */
public final class MessageRejectedException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /** @param message one line */
    public MessageRejectedException(String message) {
        super(message);
    }
}
