package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
            assertEquals(Optional.empty(), other.pendingMessage("m1", "bob", T0));
            assertEquals(2, other.pendingMessages("bob", T0).size());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("relay.db"));
             ResultSet rs = c.createStatement().executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "busy: a kept statement still holds a read snapshot");
        }
    }
}
