package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path dir;

    @Override
    MetadataStore open() throws Exception {
        return Stores.sqlite(dir.resolve("relay.db"));
    }

    @Test
    void messageBytes_migration_countsTheMessagesAlreadyWaiting() throws Exception {
        store.close();
        Path older = dir.resolve("v7.db");
        String url = "jdbc:sqlite:" + older;
        org.flywaydb.core.Flyway.configure(getClass().getClassLoader()).dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite").target("7").load().migrate();
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().executeUpdate("INSERT INTO accounts (name, password_hash, created_at) VALUES ('alice', 'h', 0), ('bob', 'h', 0), ('carol', 'h', 0)");
            c.createStatement().executeUpdate("""
                    INSERT INTO messages (id, sender, size, sent_at, expires_at, pending)
                    VALUES ('a1', 'alice', 100, 0, 10, 1), ('a2', 'alice', 23, 0, 10, 1), ('b1', 'bob', 7, 0, 20, 1)""");
            c.createStatement().executeUpdate("INSERT INTO deliveries (recipient, message_id) VALUES ('bob', 'a1'), ('bob', 'a2'), ('alice', 'b1')");
        }
        store = Stores.sqlite(older); // migrates to the newest version (V8 and after)
        assertEquals(123, store.storedBytes("alice", T0));
        assertEquals(7, store.storedBytes("bob", T0));
        assertEquals(0, store.storedBytes("carol", T0));
        assertEquals(Acknowledgement.LAST_RECIPIENT, store.acknowledge("a1", "bob"));
        assertEquals(23, store.storedBytes("alice", T0));
        assertEquals(java.util.Set.of("a2", "b1"), java.util.Set.copyOf(store.deleteMessagesExpiredBy(Instant.ofEpochMilli(20))));
        assertEquals(0, store.storedBytes("alice", T0));
        assertEquals(0, store.storedBytes("bob", T0));
    }

    @Test
    void database_usesWalJournalAndIsOwnerOnly() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("relay.db"));
             ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("relay.db"))));
    }

    /**
     * The store keeps its SQLite statements prepared between uses (StatementCache): a kept
     * statement must hold no read snapshot, so reads see what another connection committed
     * since, and a checkpoint is not held up by a reader of an old snapshot.
     */
    @Test
    void keptStatements_seeLaterCommits_andHoldNoSnapshot() throws Exception {
        accounts("alice", "bob");
        try (MetadataStore other = Stores.sqlite(dir.resolve("relay.db"))) {
            for (int i = 1; i <= 3; i++) {
                MessageRecord m = message("m" + i, "alice", T0);
                other.createMessage(m, List.of("bob"));
                for (int read = 0; read < 5; read++) {
                    assertEquals(i, store.pendingMessages("bob", T0).size());
                    assertEquals(Optional.of(m), store.pendingMessage("m" + i, "bob", T0));
                }
            }
            store.acknowledge("m1", "bob");
            // (not other.pendingMessage("m1", ...): other stored m1 and remembers its deliveries,
            // which is right only with one store per database, as the relay has; see below)
            assertEquals(2, other.pendingMessages("bob", T0).size());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("relay.db"));
             ResultSet rs = c.createStatement().executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "busy: a kept statement still holds a read snapshot");
        }
    }

    /**
     * A fetch soon after the send is answered from memory (RecentDeliveries), and must give the
     * database's answer in every case: a second store opened on the file afterwards remembers
     * nothing and reads the database, so the two must agree for every message, recipient and
     * time, before and after acknowledgements and the expiry sweep.
     */
    @Test
    void recentDeliveries_answerAsTheDatabaseDoes() throws Exception {
        accounts("alice", "bob", "carol", "dave");
        Instant sentAt = T0.plusNanos(123_456_789); // finer than the database keeps
        for (int i = 1; i <= 4; i++) {
            MessageRecord m = new MessageRecord("m" + i, "alice", 100 * i, sentAt, sentAt.plus(Duration.ofMinutes(i)));
            store.createMessage(m, i % 2 == 0 ? List.of("bob", "carol") : List.of("bob"));
        }
        List<String> ids = List.of("m1", "m2", "m3", "m4", "m5");
        List<String> who = List.of("alice", "bob", "carol", "dave");
        List<Instant> when = List.of(T0, sentAt.plus(Duration.ofMinutes(2)), sentAt.plus(Duration.ofMinutes(2)).minusMillis(1),
                sentAt.plus(Duration.ofMinutes(3)), T0.plus(Duration.ofHours(1)));
        Runnable agree = () -> {
            try (MetadataStore database = Stores.sqlite(dir.resolve("relay.db"))) {
                for (String id : ids) {
                    for (String r : who) {
                        for (Instant t : when) {
                            assertEquals(database.pendingMessage(id, r, t), store.pendingMessage(id, r, t), id + " for " + r + " at " + t);
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertEquals(100, store.pendingMessage("m1", "bob", T0).orElseThrow().size());
        agree.run();
        assertEquals(Acknowledgement.ACKNOWLEDGED, store.acknowledge("m2", "bob"));
        assertEquals(Optional.empty(), store.pendingMessage("m2", "bob", T0));
        assertTrue(store.pendingMessage("m2", "carol", T0).isPresent());
        assertEquals(Acknowledgement.LAST_RECIPIENT, store.acknowledge("m1", "bob"));
        agree.run();
        // m1 went with its last acknowledgement; m2 expires at exactly this instant
        assertEquals(List.of("m2"), store.deleteMessagesExpiredBy(sentAt.plus(Duration.ofMinutes(2))));
        assertEquals(Optional.empty(), store.pendingMessage("m2", "carol", T0));
        agree.run();
    }

    /** The moment acknowledge returns, the message is no longer served, even with readers busy on it. */
    @Test
    void recentDeliveries_acknowledgedIsGoneAtOnce_underConcurrentReads() throws Exception {
        accounts("alice", "bob");
        int n = 300;
        for (int i = 0; i < n; i++) {
            store.createMessage(message("m" + i, "alice", T0), List.of("bob"));
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            readers.add(Thread.ofPlatform().start(() -> {
                java.util.Random random = new java.util.Random(seed);
                while (!stop.get()) {
                    store.pendingMessage("m" + random.nextInt(n), "bob", T0);
                }
            }));
        }
        try {
            for (int i = 0; i < n; i++) {
                assertTrue(store.pendingMessage("m" + i, "bob", T0).isPresent());
                store.acknowledge("m" + i, "bob");
                assertEquals(Optional.empty(), store.pendingMessage("m" + i, "bob", T0), "m" + i + " after its acknowledgement");
            }
        } finally {
            stop.set(true);
            for (Thread r : readers) {
                r.join();
            }
        }
        assertEquals(List.of(), store.pendingMessages("bob", T0));
    }
}
