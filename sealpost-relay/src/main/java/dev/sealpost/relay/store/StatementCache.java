package dev.sealpost.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepared statements kept per physical connection, keyed by their SQL, for a driver that keeps
 * none itself (sqlite-jdbc; HikariCP keeps none either). SQLite's {@code prepare} of a fetch's
 * query cost more than running it (issue 14, docs/BENCHMARKS.md), and the relay runs the same
 * few dozen statements all the time.
 *
 * <p>A statement is prepared on the physical connection (beneath the pool's proxy, which would
 * close it when the connection goes back to the pool) and is used by one thread at a time, the
 * one that borrowed the connection. Between uses it holds no result set: each use closes its
 * result set, which resets the SQLite statement, so a kept statement holds no read snapshot and
 * the next use sees the latest commit. Statements of a closed (evicted, retired) connection are
 * closed with it and forgotten when the next connection is seen.
 */
final class StatementCache {
    /** Most statements kept per connection; past it, statements are prepared per use and closed. */
    static final int PER_CONNECTION = 64;

    private final Map<Connection, Map<String, PreparedStatement>> byConnection = new ConcurrentHashMap<>();

    /**
     * @param pooled a connection the caller has borrowed (and uses from this thread only until it returns it)
     * @param sql    the statement's SQL
     * @return the statement, kept or new; the caller closes the {@link KeptStatement} (not the prepared statement)
     * @throws SQLException if the statement cannot be prepared
     */
    KeptStatement get(Connection pooled, String sql) throws SQLException {
        Connection physical = pooled.unwrap(Connection.class);
        Map<String, PreparedStatement> kept = byConnection.get(physical);
        if (kept == null) {
            byConnection.keySet().removeIf(StatementCache::closed);
            kept = byConnection.computeIfAbsent(physical, p -> new ConcurrentHashMap<>());
        }
        PreparedStatement ps = kept.get(sql);
        if (ps != null) {
            return new KeptStatement(ps, kept);
        }
        ps = physical.prepareStatement(sql);
        if (kept.size() >= PER_CONNECTION) {
            return new KeptStatement(ps, null);
        }
        kept.put(sql, ps);
        return new KeptStatement(ps, kept);
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
