package dev.sealpost.client;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Someone a message is sealed to: the name the signed letter addresses (RFC 9788 protected
 * {@code To}) and the encryption certificate a RecipientInfo is made for (RFC 5652 §6.2).
 * Where the certificate comes from is the caller's trust decision: a pinned contact
 * ({@link PinnedKeys}), or a certificate file the user named ({@link Recipients}).
 *
 * @param name                  the account name
 * @param encryptionCertificate the certificate to encrypt to
 */
public record Recipient(String name, X509Certificate encryptionCertificate) {
    /** @throws NullPointerException if a field is null */
    public Recipient {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(encryptionCertificate, "encryptionCertificate");
    }
}
