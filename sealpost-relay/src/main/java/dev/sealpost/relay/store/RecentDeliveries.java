package dev.sealpost.relay.store;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may still fetch each recently stored message, in memory, so that a fetch soon after the
 * send (the usual case: a recipient's client fetches on the push) needs no database read. Only
 * for a store whose every writer is in this process and takes turns on one lock: SQLite, which
 * one relay uses at a time ({@code relay.lock}). On a shared database another node's
 * acknowledgement would not be seen here, so PostgreSQL has none.
 *
 * <p>Why the answers equal the database's: a message's deliveries are fixed when it is stored
 * and only ever deleted afterwards. An entry is added only by {@link #stored}, after the commit
 * that stored the message and before the writer lock is released, so no acknowledgement can come
 * between the commit and the entry. Every transaction that deletes deliveries or messages
 * ({@link #forget}: acknowledgement, expiry) drops the entries first, under the same lock, and
 * an entry is never added back after a miss. A new way to delete them must do the same, cascades
 * included: deleting an account would delete its deliveries and messages through
 * {@code ON DELETE CASCADE}. Expiry is compared on every hit, as the query does.
 * A dropped or evicted entry only sends the next fetch to the database.
 *
 * <p>Bounded: at most {@code capacity} entries (about 350 bytes each), the oldest stored out
 * first. Reads are lock-free; the mutators must be called with the store's writer lock held.
 */
final class RecentDeliveries {
    private record Entry(MessageRecord message, Set<String> recipients) {}

    private final int capacity;
    private final ConcurrentHashMap<String, Entry> entries;
    /** Ids in the order stored, for eviction; guarded by the writer lock. */
    private final ArrayDeque<String> order = new ArrayDeque<>();

    /** @param capacity most messages remembered; at least 1 */
    RecentDeliveries(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16) * 2);
    }

    /**
     * Remembers a message and its recipients. Writer lock held, after the commit that stored it.
     *
     * @param message    as stored (instants at millisecond precision, as the database keeps them)
     * @param recipients every recipient it was stored for
     */
    void stored(MessageRecord message, List<String> recipients) {
        entries.put(message.id(), new Entry(message, Set.copyOf(recipients)));
        order.addLast(message.id());
        while (order.size() > capacity) {
            entries.remove(order.pollFirst());
        }
    }

    /**
     * Forgets messages whose deliveries are about to change. Writer lock held, inside the
     * transaction that changes them and before its commit (if it rolls back, the database is
     * asked instead: still right).
     */
    void forget(Collection<String> ids) {
        for (String id : ids) {
            entries.remove(id); // its id stays in order until evicted: harmless, bounded by capacity
        }
    }

    /** As {@link #forget(Collection)}, for one message. */
    void forget(String id) {
        entries.remove(id);
    }

    /**
     * @return null if this message is not remembered (ask the database); otherwise the answer
     *         {@link MetadataStore#pendingMessage} would give: the message if it is still pending for
     *         {@code recipient} and expires after {@code now}, else empty
     */
    Optional<MessageRecord> pending(String id, String recipient, Instant now) {
        Entry e = entries.get(id);
        if (e == null) {
            return null;
        }
        boolean pending = e.recipients.contains(recipient) && e.message.expiresAt().toEpochMilli() > now.toEpochMilli();
        return pending ? Optional.of(e.message) : Optional.empty();
    }
}
