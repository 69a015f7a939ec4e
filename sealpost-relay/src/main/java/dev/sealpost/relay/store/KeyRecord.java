package dev.sealpost.relay.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An account's published certificates.
 *
 * @param name                   the account
 * @param signingCertificate     PEM text of the signing certificate
 * @param encryptionCertificate  PEM text of the encryption certificate
 * @param updatedAt              when they were published (millisecond precision)
 */
public record KeyRecord(String name, String signingCertificate, String encryptionCertificate, Instant updatedAt) {
    /** @throws NullPointerException if any component is null */
    public KeyRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signingCertificate, "signingCertificate");
        Objects.requireNonNull(encryptionCertificate, "encryptionCertificate");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
