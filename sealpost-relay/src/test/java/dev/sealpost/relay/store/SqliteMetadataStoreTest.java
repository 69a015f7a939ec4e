package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void reopen_keepsDataAndDoesNotMigrateAgain() throws Exception {
        accounts("alice", "bob");
        store.createMessage(message("m1", "alice", T0), List.of("bob"));
        store.close();

        store = open();

        assertEquals(Optional.of(HASH), store.passwordHash("alice"));
        assertEquals(1, store.pendingMessages("bob", T0).size());
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
}
