package dev.sealpost.relay.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * A prepared statement for one use: {@link #close} closes it, or, if a {@link StatementCache}
 * keeps it, only clears its parameters for the next use.
 *
 * @param ps   the statement
 * @param kept the cache's statements of its connection, or null if it is not kept
 */
record KeptStatement(PreparedStatement ps, Map<String, PreparedStatement> kept) implements AutoCloseable {
    /**
     * Ends this use (any result set must be closed first).
     *
     * @throws SQLException if the statement could not be closed or cleared
     */
    @Override
    public void close() throws SQLException {
        if (kept == null) {
            ps.close();
        } else {
            ps.clearParameters();
        }
    }

    /** Closes the statement and forgets it, after an error left it in a state not worth trusting again. */
    void discard() {
        if (kept != null) {
            kept.values().remove(ps);
        }
        try {
            ps.close();
        } catch (SQLException ignored) {
            // it is gone either way
        }
    }
}
