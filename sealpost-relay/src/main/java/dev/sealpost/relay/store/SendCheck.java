package dev.sealpost.relay.store;

import java.util.Set;

/**
 * What a send needs from the database before it reads the message body, read in one query
 * ({@link MetadataStore#sendCheck}).
 *
 * @param existingRecipients those of the named recipients that have an account
 * @param senderStoredBytes  the bytes the sender keeps on the relay, as {@link MetadataStore#storedBytes}
 */
public record SendCheck(Set<String> existingRecipients, long senderStoredBytes) {
    /** Copies the set. @throws NullPointerException if it is null */
    public SendCheck {
        existingRecipients = Set.copyOf(existingRecipients);
    }
}
