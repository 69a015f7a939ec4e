package dev.sealpost.relay.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NodeChannel} on PostgreSQL {@code LISTEN/NOTIFY}. Notices go out through the store's
 * pool ({@code pg_notify} in a transaction of its own); they come in on one dedicated
 * connection, outside the pool, that a daemon thread holds in {@code LISTEN} and polls with
 * {@link PGConnection#getNotifications(int)}. When that connection fails (the server
 * restarted, the backend was terminated, the network broke; an idle connection is checked
 * every {@value #POLL_MILLIS} ms) the thread connects again, waiting 100 ms, doubling up to
 * {@link #MAX_BACKOFF}, and then tells the receiver {@link Receiver#resumed()}; it told the
 * receiver {@link Receiver#lost()} when the connection failed, before the first wait.
 *
 * <p>The channel is per schema, as the tables are: {@code sealpost_delivered} in schema
 * {@code public}, else {@code sealpost_delivered_} and 12 hex digits of the SHA-256 of the
 * schema's name (channels are per database, so two relays in two schemas of one database
 * must not hear each other).
 */
final class PostgresNodeChannel implements NodeChannel {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNodeChannel.class);
    /** Longest wait for notices before the idle connection is checked, in ms. */
    static final int POLL_MILLIS = 5_000;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final int VALID_TIMEOUT_SECONDS = 5;
    private static final String TOPIC = "sealpost_delivered";

    private final DataSource pool;
    private final String jdbcUrl;
    private final Properties properties;
    private final String channel;
    private final Receiver receiver;
    private final Thread thread;
    private volatile Connection listening;
    private volatile boolean closed;

    private PostgresNodeChannel(DataSource pool, String jdbcUrl, Properties properties, String channel, Receiver receiver,
                                Connection first) {
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.channel = channel;
        this.receiver = receiver;
        this.listening = first;
        this.thread = Thread.ofPlatform().name("sealpost-relay-listen").daemon().unstarted(this::run);
    }

    /**
     * Listens (the first {@code LISTEN} before returning, so nothing published after this
     * returns is missed) and starts the listening thread.
     *
     * @throws IOException if the database cannot be reached
     */
    static PostgresNodeChannel open(DataSource pool, String jdbcUrl, String user, String password, Receiver receiver)
            throws IOException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("tcpKeepAlive", "true");
        String channel;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            channel = channelName(rs.getString(1));
        } catch (SQLException e) {
            throw new IOException("cannot read the database schema: " + e.getMessage(), e);
        }
        p.setProperty("ApplicationName", "sealpost-relay listen " + channel); // pg_stat_activity tells them apart
        Connection first;
        try {
            first = listen(jdbcUrl, p, channel);
        } catch (SQLException e) {
            throw new IOException("cannot LISTEN for other relay nodes: " + e.getMessage(), e);
        }
        PostgresNodeChannel ch = new PostgresNodeChannel(pool, jdbcUrl, p, channel, receiver, first);
        ch.thread.start();
        return ch;
    }

    /** @return the channel of {@code schema}, a valid unquoted identifier */
    static String channelName(String schema) {
        if (schema == null || schema.equals("public")) {
            return TOPIC;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
            return TOPIC + "_" + HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public void publish(List<String> payloads) {
        for (String payload : payloads) {
            if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("a notice has at most " + MAX_PAYLOAD_BYTES + " bytes");
            }
        }
        // Its own transaction, which need not wait for its commit record to reach the disk: a
        // notice is not durable anyway. PostgreSQL holds a database-wide lock from the commit
        // of a notifying transaction to its end, so a synchronous commit would make every
        // node's notices wait for each other's disk flushes. (set_config is a FROM item, so it
        // runs once; the setting counts at the commit, after every pg_notify.)
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT pg_notify(?, p) FROM set_config('synchronous_commit', 'off', true) AS s, unnest(?::text[]) AS p""")) {
            ps.setString(1, channel);
            ps.setArray(2, c.createArrayOf("text", payloads.toArray()));
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new StoreException("notifying other relay nodes failed: " + e.getMessage(), e);
        }
    }

    private static Connection listen(String jdbcUrl, Properties p, String channel) throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl, p);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + channel); // auto-commit: listening from here on
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private void run() {
        Connection c = listening;
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            try {
                if (c == null) {
                    c = listen(jdbcUrl, properties, channel);
                    listening = c;
                    if (closed) {
                        break;
                    }
                    LOG.info("listening for other relay nodes again on {}", channel);
                    backoff = FIRST_BACKOFF;
                    hand(receiver::resumed);
                }
                PGNotification[] notices = c.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (notices == null || notices.length == 0) {
                    if (!closed && !c.isValid(VALID_TIMEOUT_SECONDS)) {
                        throw new SQLException("the listening connection does not answer");
                    }
                    continue;
                }
                for (PGNotification n : notices) {
                    if (channel.equals(n.getName())) {
                        hand(() -> receiver.received(n.getParameter()));
                    }
                }
            } catch (SQLException | RuntimeException e) { // the driver's; the receiver's are caught in hand()
                if (closed) {
                    break;
                }
                LOG.warn("lost the connection listening for other relay nodes ({}); connecting again in {} ms "
                        + "(notices meanwhile are lost: event streams end when listening resumes)", e.getMessage(), backoff.toMillis());
                closeQuietly(c);
                c = null;
                listening = null;
                hand(receiver::lost);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        closeQuietly(c);
    }

    /** Runs a call of the receiver; its failure is logged and listening goes on. */
    private static void hand(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("handling a notice from another relay node failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = listening;
        if (c != null) {
            try {
                c.abort(Runnable::run); // closes the socket now, ending a wait in getNotifications
            } catch (SQLException | RuntimeException e) {
                LOG.debug("aborting the listening connection: {}", e.toString());
            }
        }
        thread.interrupt(); // ends a backoff sleep
        try {
            thread.join(Duration.ofMillis(POLL_MILLIS + 1_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // already broken
            }
        }
    }
}
