package dev.sealpost.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * {@link RateBuckets} in PostgreSQL's {@code rate_limits} table (an UNLOGGED table: a crash of
 * the database empties it, which fills every bucket, as a restart of a one-node relay does).
 * Permits are fractional; times are milliseconds since the epoch.
 *
 * <p>Taking a permit is one {@code INSERT … ON CONFLICT DO UPDATE … WHERE}: the row lock makes
 * concurrent takes from any node wait for each other, and each sees the row as the one before
 * it left it (READ COMMITTED re-checks the {@code WHERE} on the newest version). Only a refusal
 * reads the row again, to say how long to wait.
 */
final class PostgresRateBuckets implements RateBuckets {
    private static final String TAKE = """
            INSERT INTO rate_limits AS b (limit_name, subject, permits, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (limit_name, subject) DO UPDATE
            SET permits = LEAST(?, b.permits + GREATEST(0, ? - b.updated_at) * ? / ?) - 1,
                updated_at = GREATEST(b.updated_at, ?)
            WHERE LEAST(?, b.permits + GREATEST(0, ? - b.updated_at) * ? / ?) >= 1""";
    /** Permits available now: refilled by elapsed ms × capacity × 10^6 / period in ns (exact where it comes out whole). */
    private static final String AVAILABLE = "LEAST(?, permits + GREATEST(0, ? - updated_at) * ? / ?)";

    private final DataSource dataSource;

    PostgresRateBuckets(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Duration take(String limit, String subject, int capacity, Duration period, Instant now) {
        check(capacity, period);
        double scaled = capacity * 1e6;
        double periodNanos = period.toNanos();
        long t = now.toEpochMilli();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(TAKE)) {
                ps.setString(1, limit);
                ps.setString(2, subject);
                ps.setDouble(3, capacity - 1.0);
                ps.setLong(4, t);
                ps.setDouble(5, capacity);
                ps.setLong(6, t);
                ps.setDouble(7, scaled);
                ps.setDouble(8, periodNanos);
                ps.setLong(9, t);
                ps.setDouble(10, capacity);
                ps.setLong(11, t);
                ps.setDouble(12, scaled);
                ps.setDouble(13, periodNanos);
                if (ps.executeUpdate() == 1) {
                    return Duration.ZERO;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + AVAILABLE + " FROM rate_limits WHERE limit_name = ? AND subject = ?")) {
                ps.setDouble(1, capacity);
                ps.setLong(2, t);
                ps.setDouble(3, scaled);
                ps.setDouble(4, periodNanos);
                ps.setString(5, limit);
                ps.setString(6, subject);
                try (ResultSet rs = ps.executeQuery()) {
                    double available = rs.next() ? rs.getDouble(1) : 0; // swept meanwhile: say the shortest wait
                    double nanos = Math.max(0, 1 - available) * period.toNanos() / capacity;
                    return Duration.ofNanos(Math.max(1, (long) Math.ceil(nanos)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("rate limit " + limit + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int deleteFull(String limit, int capacity, Duration period, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM rate_limits WHERE limit_name = ? AND " + AVAILABLE + " >= ?")) {
            check(capacity, period);
            ps.setString(1, limit);
            ps.setDouble(2, capacity);
            ps.setLong(3, now.toEpochMilli());
            ps.setDouble(4, capacity * 1e6);
            ps.setDouble(5, period.toNanos());
            ps.setDouble(6, capacity);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("sweeping rate limit " + limit + " failed: " + e.getMessage(), e);
        }
    }

    private static void check(int capacity, Duration period) {
        if (capacity < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a bucket needs capacity >= 1 and a positive period");
        }
    }
}
