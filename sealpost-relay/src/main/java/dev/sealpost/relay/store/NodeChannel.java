package dev.sealpost.relay.store;

import java.util.List;

/**
 * Notices between the relay nodes that share one database: what one node publishes, every
 * node listening on the same database and schema receives, itself included. Delivery is at
 * most once and only to nodes listening at the time: a notice published while a node's
 * listening connection is down is lost for that node, which then hears {@link Receiver#resumed()}.
 * So a notice may say that something happened, never carry what only it knows.
 *
 * <p>On PostgreSQL ({@link Stores#nodeChannel}) this is {@code LISTEN/NOTIFY}.
 */
public interface NodeChannel extends AutoCloseable {
    /** Largest payload of one notice, in UTF-8 bytes (PostgreSQL's limit is 8,000 less one). */
    int MAX_PAYLOAD_BYTES = 7_999;

    /** Gets the notices; called on the channel's own thread, one call at a time. */
    interface Receiver {
        /** @param payload a notice as published, from any node (this one included) */
        void received(String payload);

        /**
         * The listening connection was lost: notices published from now until {@link #resumed()}
         * do not arrive. Called before the channel tries to connect again.
         */
        default void lost() {
        }

        /**
         * Listening resumed after the connection was lost: notices published meanwhile did not
         * arrive and never will.
         */
        void resumed();
    }

    /**
     * Publishes notices to every listening node, in this order, in one transaction of their own
     * (one round trip): they are sent when it commits, at once; a node that crashes mid-call may
     * not have sent them.
     *
     * @param payloads each at most {@link #MAX_PAYLOAD_BYTES} UTF-8 bytes
     * @throws IllegalArgumentException if a payload is longer (none is sent)
     * @throws StoreException           if the database fails
     */
    void publish(List<String> payloads);

    /** Stops listening and closes the listening connection; waits up to a few seconds for its thread. */
    @Override
    void close();
}
