package dev.sealpost.relay.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Routing metadata of one stored message; its sealed bytes are in the {@link SealedMessageStore} under key {@code id}.
 *
 * @param id        public message id, also its key in the {@link SealedMessageStore}
 * @param sender    the sending account
 * @param size      sealed size in bytes
 * @param sentAt    when the relay accepted it (millisecond precision)
 * @param expiresAt when the relay deletes it if not acknowledged (millisecond precision)
 */
public record MessageRecord(String id, String sender, long size, Instant sentAt, Instant expiresAt) {
    /** @throws NullPointerException if any object component is null */
    public MessageRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
