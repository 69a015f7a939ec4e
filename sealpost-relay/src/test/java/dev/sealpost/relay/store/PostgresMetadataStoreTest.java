package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(SERVER, USER, null)) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
