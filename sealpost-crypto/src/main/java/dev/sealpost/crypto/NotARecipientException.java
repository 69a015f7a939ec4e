package dev.sealpost.crypto;

import java.security.GeneralSecurityException;

/**
 * No RecipientInfo of the message names the opener's encryption certificate (by issuer and
 * serial number or by subject key identifier, RFC 5652 §6.2), so it was not encrypted to this key.
 */
public class NotARecipientException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /** With the standard message "this message is not encrypted to your key". */
    public NotARecipientException() {
        super("this message is not encrypted to your key");
    }
}
