package dev.sealpost.relay.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who may still fetch each recently stored message, in memory, so that a fetch soon after the
 * send (the usual case: a recipient's client fetches on the push) needs no database read. Two
 * ways to keep it right, one per store:
 *
 * <p><b>One writer (SQLite, {@link #RecentDeliveries(int)}): exact.</b> Every writer is in this
 * process and takes turns on one lock (one relay uses an SQLite database at a time,
 * {@code relay.lock}). A message's deliveries are fixed when it is stored and only ever deleted
 * afterwards. An entry is added only by {@link #stored}, after the commit that stored the
 * message and before the writer lock is released, so no acknowledgement can come between the
 * commit and the entry. Every transaction that deletes deliveries or messages
 * ({@link #forget}: acknowledgement, expiry) drops the entries first, under the same lock, and
 * an entry is never added back after a miss. A new way to delete them must do the same, cascades
 * included: deleting an account would delete its deliveries and messages through
 * {@code ON DELETE CASCADE}.
 *
 * <p><b>A database shared by several nodes (PostgreSQL, {@link #shared}): exact for this node's
 * own changes, within a bounded time for the others'.</b> A node remembers only the messages it
 * stored itself, adding each entry just <em>before</em> the statement that commits it (and
 * forgetting it if that fails), so no acknowledgement, here or on another node, can come before
 * the entry: nobody can acknowledge a message before it is committed. Its own acknowledgements
 * and expiries forget first, as above. Another node's are heard of through the nodes' notices
 * ({@code ClusterEvents}), which arrive milliseconds after that node's commit but may be lost
 * (that node crashed between its commit and its notice, its outbox overflowed, or this node's
 * listening connection broke). So: the store remembers only while {@link #resume resumed} (while
 * this node listens: {@link #suspend} when listening is lost clears everything and adds nothing
 * until listening resumes), and every entry is used for at most {@code ttl} after it was added.
 * The worst a lost notice does is let a recipient fetch, from this node, for at most {@code ttl},
 * a message that same recipient acknowledged on another node (if its bytes are still there:
 * another recipient has not acknowledged it yet). It never lets anyone else fetch anything: the
 * recipients of a message never change.
 *
 * <p>Both: expiry is compared on every hit, as the query does; a dropped, evicted or timed-out
 * entry only sends the next fetch to the database. Bounded: at most {@code capacity} entries
 * (about 350 bytes each), the oldest added out first. Reads are lock-free.
 */
final class RecentDeliveries {
    private record Entry(MessageRecord message, Set<String> recipients, long addedNanos) {}

    private final int capacity;
    /** Longest use of an entry after it was added, in ns; {@link Long#MAX_VALUE}: no limit. */
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Entry> entries;
    /** Ids in the order added, for eviction; guarded by {@code this}. */
    private final ArrayDeque<String> order = new ArrayDeque<>();
    /** True while nothing may be added (a shared store not listening); guarded by {@code this}. */
    private boolean suspended;

    /**
     * For a store with one writer: entries without a time limit, remembering from the start.
     * {@link #stored} and {@link #forget} must be called with the store's writer lock held.
     *
     * @param capacity most messages remembered; at least 1
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    RecentDeliveries(int capacity) {
        this(capacity, Long.MAX_VALUE, System::nanoTime, false);
    }

    private RecentDeliveries(int capacity, long ttlNanos, LongSupplier nanoTime, boolean suspended) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.ttlNanos = ttlNanos;
        this.nanoTime = nanoTime;
        this.suspended = suspended;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16) * 2);
    }

    /**
     * For a database that several nodes share: suspended until {@link #resume()}; each entry
     * used for at most {@code ttl} after it was added. {@link #stored} is called before the
     * commit and {@link #forget} before deleting; both from any thread.
     *
     * @param capacity most messages remembered; at least 1
     * @param ttl      longest use of an entry after it was added (positive): the longest another
     *                 node's acknowledgement can go unseen here if its notice is lost
     * @param nanoTime {@link System#nanoTime()}, or a test's clock in ns
     * @throws IllegalArgumentException if {@code capacity} is less than 1 or {@code ttl} is not positive
     */
    static RecentDeliveries shared(int capacity, Duration ttl, LongSupplier nanoTime) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, not " + ttl);
        }
        return new RecentDeliveries(capacity, ttl.toNanos(), nanoTime, true);
    }

    /**
     * Remembers a message and its recipients (nothing while suspended).
     *
     * @param message    as stored (instants at millisecond precision, as the database keeps them)
     * @param recipients every recipient it is stored for
     */
    void stored(MessageRecord message, List<String> recipients) {
        Entry e = new Entry(message, Set.copyOf(recipients), nanoTime.getAsLong());
        synchronized (this) {
            if (suspended) {
                return;
            }
            // never replaces: a second store of an id fails on the database's key, and the
            // caller's forget then drops the first one's entry (a miss: still right)
            if (entries.putIfAbsent(message.id(), e) != null) {
                return;
            }
            order.addLast(message.id());
            while (order.size() > capacity) {
                entries.remove(order.pollFirst());
            }
        }
    }

    /**
     * Forgets messages whose deliveries change: before the transaction that changes them
     * commits (if it rolls back, the database is asked instead: still right), or when another
     * node is heard to have changed them.
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

    /** Forgets everything and adds nothing until {@link #resume()}: other nodes' changes may go unheard. */
    synchronized void suspend() {
        suspended = true;
        entries.clear();
        order.clear();
    }

    /**
     * Forgets everything (what was remembered before may have missed other nodes' changes) and
     * remembers again from now on.
     */
    synchronized void resume() {
        entries.clear();
        order.clear();
        suspended = false;
    }

    /**
     * @return null if this message is not remembered, or was added longer than the ttl ago (ask
     *         the database); otherwise the answer {@link MetadataStore#pendingMessage} would give:
     *         the message if it is still pending for {@code recipient} and expires after
     *         {@code now}, else empty
     */
    Optional<MessageRecord> pending(String id, String recipient, Instant now) {
        Entry e = entries.get(id);
        if (e == null || (ttlNanos != Long.MAX_VALUE && nanoTime.getAsLong() - e.addedNanos > ttlNanos)) {
            return null;
        }
        boolean pending = e.recipients.contains(recipient) && e.message.expiresAt().toEpochMilli() > now.toEpochMilli();
        return pending ? Optional.of(e.message) : Optional.empty();
    }
}
