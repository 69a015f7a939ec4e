package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The metadata contract on a real PostgreSQL (127.0.0.1:5432, database {@code test}, as the
 * development and CI machines run it), each test on a schema of its own that is dropped after.
 * Skipped, with a message, where no server answers.
 */
class PostgresMetadataStoreTest extends MetadataStoreContract {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = System.getProperty("sealpost.test.pguser", "postgres");
    private String schema;

    @Override
    MetadataStore open() throws Exception {
        Assumptions.assumeTrue(reachable("127.0.0.1", 5432), "no PostgreSQL at 127.0.0.1:5432: PostgreSQL store tests skipped");
        if (schema == null) {
            schema = "t_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = DriverManager.getConnection(SERVER, USER, null)) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
        }
        MetadataStore opened = Stores.postgresql(SERVER + "?currentSchema=" + schema, USER, null);
        opened.rememberDeliveries(true); // as a relay node runs it: every contract test also holds with it on
        return opened;
    }

    /** A second node on the same schema, remembering nothing (each test closes it). */
    private MetadataStore otherNode() throws Exception {
        return Stores.postgresql(SERVER + "?currentSchema=" + schema, USER, null);
    }

    @Test
    void remembering_thisNodesSends_answeredFromMemory_untilAnotherNodesDeletionIsPassedOn() throws Exception {
        accounts("alice", "bob", "carol", "dave");
        MessageRecord m = message("m1", "alice", T0);
        store.createMessage(m, List.of("bob", "carol"));
        try (MetadataStore other = otherNode()) {
            assertEquals(Acknowledgement.ACKNOWLEDGED, other.acknowledge("m1", "bob"));
            assertEquals(Optional.empty(), other.pendingMessage("m1", "bob", T0), "the other node asks the database");

            // This node has not heard of it yet: it answers from memory, as it would for up to
            // a minute if the notice were lost, and only to the recipient who acknowledged.
            assertEquals(Optional.of(m), store.pendingMessage("m1", "bob", T0));
            assertEquals(Optional.empty(), store.pendingMessage("m1", "dave", T0), "never to anyone else");
            assertEquals(Optional.empty(), store.pendingMessage("m1", "alice", T0), "not to the sender");

            store.forgetDeliveries(List.of("m1", "unknown"));
            assertEquals(Optional.empty(), store.pendingMessage("m1", "bob", T0));
            assertEquals(Optional.of(m), store.pendingMessage("m1", "carol", T0), "from the database now");
        }
    }

    @Test
    void remembering_off_or_otherNodesSends_alwaysAskTheDatabase() throws Exception {
        accounts("alice", "bob");
        try (MetadataStore other = otherNode()) {
            other.createMessage(message("m1", "alice", T0), List.of("bob"));
            store.createMessage(message("m2", "alice", T0), List.of("bob"));
            store.rememberDeliveries(false);
            assertEquals(Acknowledgement.LAST_RECIPIENT, other.acknowledge("m2", "bob"));
            assertEquals(Optional.empty(), store.pendingMessage("m2", "bob", T0), "turned off: everything forgotten");

            store.rememberDeliveries(true);
            store.createMessage(message("m3", "alice", T0), List.of("bob"));
            store.rememberDeliveries(true); // listening resumed: what was remembered may have missed notices
            assertEquals(Acknowledgement.LAST_RECIPIENT, other.acknowledge("m3", "bob"));
            assertEquals(Optional.empty(), store.pendingMessage("m3", "bob", T0));

            assertEquals(Optional.of(message("m1", "alice", T0)), store.pendingMessage("m1", "bob", T0));
            assertEquals(Acknowledgement.LAST_RECIPIENT, other.acknowledge("m1", "bob"));
            assertEquals(Optional.empty(), store.pendingMessage("m1", "bob", T0), "another node's send is never remembered here");
        }
    }

    @Test
    void remembering_aSendThatFails_leavesNothingRemembered() {
        accounts("alice", "bob");
        assertThrows(StoreException.class, () -> store.createMessage(message("m1", "alice", T0), List.of("bob", "nobody")));
        assertEquals(Optional.empty(), store.pendingMessage("m1", "bob", T0));
        assertFalse(store.createMessage(message("m2", "alice", T0), List.of("bob"), List.of("no-such-upload")));
        assertEquals(Optional.empty(), store.pendingMessage("m2", "bob", T0));

        store.createMessage(message("m3", "alice", T0), List.of("bob"));
        MessageRecord again = new MessageRecord("m3", "bob", 1, T0, T0.plus(Duration.ofDays(1)));
        assertThrows(StoreException.class, () -> store.createMessage(again, List.of("alice")), "the id exists");
        assertEquals(Optional.empty(), store.pendingMessage("m3", "alice", T0), "the failed second send is not remembered");
        assertEquals(Optional.of(message("m3", "alice", T0)), store.pendingMessage("m3", "bob", T0));
    }

    /**
     * The inbox listing is planned for its recipient at every execution: after many listings no
     * pooled connection holds it as a server-side prepared statement, whose generic plan (costed
     * for the average recipient) PostgreSQL could keep for the connection's life. As a control,
     * a statement run as often without that need is prepared on the server, so the check below
     * does see pgJDBC's prepared statements.
     */
    @Test
    void inboxListing_isPlannedForItsRecipient_neverKeptAsAPreparedStatement() throws Exception {
        accounts("alice", "bob");
        store.createMessage(message("m1", "alice", T0), List.of("bob"));
        for (int i = 0; i < 12; i++) { // pgJDBC prepares on the server from the 5th execution
            assertEquals(List.of(message("m1", "alice", T0)), store.pendingMessages("bob", T0));
            assertEquals(42, store.storedBytes("alice", T0));
        }
        com.zaxxer.hikari.HikariDataSource pool = (com.zaxxer.hikari.HikariDataSource) ((JdbcMetadataStore) store).dataSource();
        List<Connection> all = new java.util.ArrayList<>();
        List<String> prepared = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) { // held together: every connection of the pool
                Connection c = pool.getConnection();
                all.add(c);
                try (var rs = c.createStatement().executeQuery("SELECT statement FROM pg_prepared_statements")) {
                    while (rs.next()) {
                        prepared.add(rs.getString(1));
                    }
                }
            }
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }
        assertTrue(prepared.stream().anyMatch(sql -> sql.contains("message_bytes")), "control: " + prepared);
        assertFalse(prepared.stream().anyMatch(sql -> sql.contains("FROM deliveries d JOIN messages m")), prepared::toString);
    }

    @Test
    void messageBytes_migration_countsTheMessagesAlreadyWaiting() throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection(SERVER, USER, null)) {
            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        String url = SERVER + "?currentSchema=" + schema;
        org.flywaydb.core.Flyway.configure(getClass().getClassLoader()).dataSource(url, USER, null)
                .locations("classpath:db/migration/postgresql").target("7").load().migrate();
        try (Connection c = DriverManager.getConnection(url, USER, null)) {
            c.createStatement().execute("""
                    INSERT INTO accounts (name, password_hash, created_at) VALUES ('alice', 'h', 0), ('bob', 'h', 0), ('carol', 'h', 0);
                    INSERT INTO messages (id, sender, size, sent_at, expires_at, pending)
                    VALUES ('a1', 'alice', 100, 0, 10, 1), ('a2', 'alice', 23, 0, 10, 1), ('b1', 'bob', 7, 0, 20, 1);
                    INSERT INTO deliveries (recipient, message_id) VALUES ('bob', 'a1'), ('bob', 'a2'), ('alice', 'b1')""");
        }
        store = Stores.postgresql(url, USER, null); // migrates to the newest version (V8 and after)
        assertEquals(123, store.storedBytes("alice", T0));
        assertEquals(7, store.storedBytes("bob", T0));
        assertEquals(0, store.storedBytes("carol", T0));
        assertEquals(Acknowledgement.LAST_RECIPIENT, store.acknowledge("a1", "bob"));
        assertEquals(23, store.storedBytes("alice", T0));
        assertEquals(java.util.Set.of("a2", "b1"), java.util.Set.copyOf(store.deleteMessagesExpiredBy(java.time.Instant.ofEpochMilli(20))));
        assertEquals(0, store.storedBytes("alice", T0));
        assertEquals(0, store.storedBytes("bob", T0));
    }

    /**
     * Two nodes send, acknowledge and sweep at once, for the same senders: no transaction fails
     * (no deadlock through {@code message_bytes}) and every sender's kept bytes equal the sum of
     * its messages afterwards.
     */
    @Test
    void messageBytes_concurrentSendsAcknowledgementsAndSweeps_keepTheSumExact() throws Exception {
        List<String> senders = List.of("s0", "s1", "s2");
        accounts("s0", "s1", "s2", "r0", "r1");
        try (MetadataStore other = otherNode()) {
            List<MetadataStore> nodes = List.of(store, other);
            int workers = 6;
            int rounds = 60;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers);
            try {
                List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    done.add(pool.submit(() -> {
                        MetadataStore node = nodes.get(worker % 2);
                        for (int i = 0; i < rounds; i++) {
                            String sender = senders.get((worker + i) % senders.size());
                            // Kept: acknowledged by both recipients (the second deletes it)
                            String kept = "k-" + worker + "-" + i;
                            node.createMessage(new MessageRecord(kept, sender, 10 + i, T0, T0.plus(Duration.ofDays(30))),
                                    List.of("r0", "r1"));
                            // Expiring: already expired at the sweep time below, never acknowledged
                            node.createMessage(new MessageRecord("x-" + worker + "-" + i, sender, 1000 + i, T0,
                                    T0.plus(Duration.ofSeconds(1))), List.of("r0"));
                            node.acknowledge(kept, "r0");
                            if (i % 2 == 0) {
                                node.acknowledge(kept, "r1");
                            }
                            if (i % 10 == worker % 10) {
                                node.deleteMessagesExpiredBy(T0.plus(Duration.ofSeconds(2)));
                            }
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get(120, java.util.concurrent.TimeUnit.SECONDS); // a StoreException (a deadlock too) fails here
                }
            } finally {
                pool.shutdownNow();
            }
            try (Connection c = DriverManager.getConnection(SERVER + "?currentSchema=" + schema, USER, null);
                 java.sql.ResultSet rs = c.createStatement().executeQuery("""
                         SELECT a.name, COALESCE((SELECT SUM(size) FROM messages WHERE sender = a.name), 0),
                                COALESCE((SELECT bytes FROM message_bytes WHERE sender = a.name), 0)
                         FROM accounts a""")) {
                int checked = 0;
                while (rs.next()) {
                    assertEquals(rs.getLong(2), rs.getLong(3), "kept bytes of " + rs.getString(1));
                    assertEquals(rs.getLong(2), store.storedBytes(rs.getString(1), T0));
                    checked++;
                }
                assertEquals(5, checked);
            }
            long waiting = senders.stream().mapToLong(s -> store.storedBytes(s, T0)).sum();
            assertTrue(waiting > 0, "the unacknowledged half of the kept messages is still stored");
        }
    }

    /**
     * An acknowledgement and the expiry sweep of the same message, forced into the interleaving
     * that deadlocked when the acknowledgement took the delivery row before the message row: the
     * acknowledgement is held (by an advisory lock its delivery's deletion waits for) until the
     * sweep waits on it too. Both must then finish, one after the other.
     */
    @Test
    void acknowledgement_andExpirySweep_ofOneMessage_waitForEachOther_neverDeadlock() throws Exception {
        accounts("alice", "bob", "carol");
        store.createMessage(new MessageRecord("m1", "alice", 100, T0, T0.plus(Duration.ofSeconds(1))), List.of("bob", "carol"));
        long key = 73_011;
        try (Connection held = DriverManager.getConnection(SERVER + "?currentSchema=" + schema, USER, null)) {
            held.createStatement().execute("""
                    CREATE FUNCTION pause_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN PERFORM pg_advisory_xact_lock(%d); RETURN OLD; END $$""".formatted(key));
            held.createStatement().execute("""
                    CREATE TRIGGER pause_deletion AFTER DELETE ON deliveries FOR EACH ROW EXECUTE FUNCTION pause_deletion()""");
            held.createStatement().execute("SELECT pg_advisory_lock(" + key + ")");
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var ack = pool.submit(() -> store.acknowledge("m1", "bob"));
                awaitWaiting(held, "advisory", 1); // the acknowledgement holds bob's delivery (and, fixed, the message)
                var sweep = pool.submit(() -> store.deleteMessagesExpiredBy(T0.plus(Duration.ofSeconds(2))));
                awaitWaiting(held, "transactionid", 1); // the sweep waits for the acknowledgement's transaction
                held.createStatement().execute("SELECT pg_advisory_unlock(" + key + ")");

                assertEquals(Acknowledgement.ACKNOWLEDGED, ack.get(30, java.util.concurrent.TimeUnit.SECONDS),
                        "a deadlock would fail one of the two here");
                assertEquals(List.of("m1"), sweep.get(30, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
        }
        assertFalse(store.messageExists("m1"));
        assertEquals(0, store.storedBytes("alice", T0));
    }

    /** Waits (at most 30 s) until {@code count} requests for locks of {@code type} ({@code pg_locks.locktype}) wait. */
    private static void awaitWaiting(Connection c, String type, int count) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        try (var waiting = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = ?")) {
            waiting.setString(1, type);
            while (true) {
                try (var rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "nothing waits for a lock of type " + type);
                Thread.sleep(10);
            }
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(SERVER, USER, null)) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
