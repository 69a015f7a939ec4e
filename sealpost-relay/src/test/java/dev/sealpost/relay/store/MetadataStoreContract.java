package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MetadataStore} keeps, run against each implementation (as okio's
 * {@code BufferedSourceTest}). A subclass supplies an empty store. A PostgreSQL one would read
 *
 * <pre>{@code
 * class PostgresMetadataStoreTest extends MetadataStoreContract {
 *     MetadataStore open() {
 *         Assumptions.assumeTrue(reachable("127.0.0.1", 5432), "no PostgreSQL at 127.0.0.1:5432");
 *         return Stores.postgresql(...);   // on a freshly created schema
 *     }
 * }
 * }</pre>
 *
 * so that it is reported as skipped, never silently passed, where no server runs.
 */
abstract class MetadataStoreContract {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    MetadataStore store;

    /** @return a new, empty store */
    abstract MetadataStore open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    void accounts(String... names) {
        for (String n : names) {
            assertTrue(store.createAccount(n, HASH, T0));
        }
    }

    static MessageRecord message(String id, String sender, Instant sentAt) {
        return new MessageRecord(id, sender, 42, sentAt, sentAt.plus(Duration.ofDays(30)));
    }

    /** @return true if something accepts TCP connections at host:port within a second */
    static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String hash(int i) {
        return "%064x".formatted(i);
    }

    @Test
    void createAccount_newName_storesPasswordHash() {
        assertTrue(store.createAccount("alice", HASH, T0));
        assertEquals(Optional.of(HASH), store.passwordHash("alice"));
        assertTrue(store.accountExists("alice"));
    }

    @Test
    void createAccount_takenName_returnsFalseAndKeepsFirst() {
        accounts("alice");
        assertFalse(store.createAccount("alice", "other", T0));
        assertEquals(Optional.of(HASH), store.passwordHash("alice"));
    }

    @Test
    void unknownAccount_hasNothing() {
        assertEquals(Optional.empty(), store.passwordHash("nobody"));
        assertFalse(store.accountExists("nobody"));
        assertEquals(Optional.empty(), store.keys("nobody"));
    }

    @Test
    void existingAccounts_returnsOnlyThoseThatExist() {
        accounts("alice", "bob");
        assertEquals(Set.of("alice", "bob"), store.existingAccounts(List.of("alice", "carol", "bob")));
        assertEquals(Set.of(), store.existingAccounts(List.of()));
    }

    @Test
    void putKeys_storesAndReplaces() {
        accounts("alice");
        store.putKeys(new KeyRecord("alice", "S1", "E1", T0));
        KeyRecord second = new KeyRecord("alice", "S2", "E2", T0.plusSeconds(5));
        store.putKeys(second);
        assertEquals(Optional.of(second), store.keys("alice"));
    }

    @Test
    void putKeys_unknownAccount_throws() {
        assertThrows(StoreException.class, () -> store.putKeys(new KeyRecord("nobody", "S", "E", T0)));
        assertEquals(Optional.empty(), store.keys("nobody"));
    }

    @Test
    void token_roundTripsAndIsDeletedWhenExpiredByCutoff() {
        accounts("alice");
        TokenRecord early = new TokenRecord(hash(1), "alice", T0, T0.plusSeconds(60));
        TokenRecord late = new TokenRecord(hash(2), "alice", T0, T0.plusSeconds(120));
        store.createToken(early);
        store.createToken(late);
        assertEquals(Optional.of(early), store.token(hash(1)));

        assertEquals(1, store.deleteTokensExpiredBy(T0.plusSeconds(60)));
        assertEquals(Optional.empty(), store.token(hash(1)));
        assertEquals(Optional.of(late), store.token(hash(2)));
    }

    @Test
    void createToken_unknownAccount_throws() {
        assertThrows(StoreException.class, () -> store.createToken(new TokenRecord(hash(1), "nobody", T0, T0)));
    }

    @Test
    void createMessage_isPendingForRecipientsOnly_oldestFirst() {
        accounts("alice", "bob", "carol");
        MessageRecord second = message("m2", "alice", T0); // same time: creation order decides
        MessageRecord first = message("m1", "alice", T0);
        store.createMessage(second, List.of("bob"));
        store.createMessage(first, List.of("bob", "carol"));

        assertEquals(List.of(second, first), store.pendingMessages("bob", T0));
        assertEquals(List.of(first), store.pendingMessages("carol", T0));
        assertEquals(List.of(), store.pendingMessages("alice", T0));
        assertEquals(Optional.of(first), store.pendingMessage("m1", "carol", T0));
        assertEquals(Optional.empty(), store.pendingMessage("m2", "carol", T0));
        assertEquals(Optional.empty(), store.pendingMessage("m2", "alice", T0));
    }

    @Test
    void createMessage_unknownRecipient_throwsAndStoresNothing() {
        accounts("alice", "bob");
        assertThrows(StoreException.class, () -> store.createMessage(message("m1", "alice", T0), List.of("bob", "nobody")));
        assertFalse(store.messageExists("m1"));
        assertEquals(List.of(), store.pendingMessages("bob", T0));
    }

    @Test
    void createMessage_duplicateId_throws() {
        accounts("alice", "bob");
        store.createMessage(message("m1", "alice", T0), List.of("bob"));
        assertThrows(StoreException.class, () -> store.createMessage(message("m1", "alice", T0), List.of("bob")));
        assertEquals(1, store.pendingMessages("bob", T0).size());
    }

    @Test
    void expiredMessage_isNotPending() {
        accounts("alice", "bob");
        MessageRecord m = message("m1", "alice", T0);
        store.createMessage(m, List.of("bob"));
        assertEquals(List.of(), store.pendingMessages("bob", m.expiresAt()));
        assertEquals(Optional.empty(), store.pendingMessage("m1", "bob", m.expiresAt()));
        assertTrue(store.messageExists("m1"));
    }

    @Test
    void acknowledge_countsDownToLastRecipient() {
        accounts("alice", "bob", "carol");
        store.createMessage(message("m1", "alice", T0), List.of("bob", "carol"));

        assertEquals(Acknowledgement.NOT_PENDING, store.acknowledge("m1", "alice"));
        assertEquals(Acknowledgement.ACKNOWLEDGED, store.acknowledge("m1", "bob"));
        assertEquals(Acknowledgement.NOT_PENDING, store.acknowledge("m1", "bob"));
        assertTrue(store.messageExists("m1"));
        assertEquals(Acknowledgement.LAST_RECIPIENT, store.acknowledge("m1", "carol"));
        assertFalse(store.messageExists("m1"));
        assertEquals(Acknowledgement.NOT_PENDING, store.acknowledge("nothing", "carol"));
    }

    @Test
    void acknowledge_concurrently_exactlyOneRecipientIsLast() throws Exception {
        List<String> recipients = List.of("r1", "r2", "r3", "r4");
        accounts("alice");
        accounts(recipients.toArray(String[]::new));
        int messages = 20;
        for (int i = 0; i < messages; i++) {
            store.createMessage(message("m" + i, "alice", T0), recipients);
        }
        List<Callable<Acknowledgement>> acks = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            for (String r : recipients) {
                String id = "m" + i;
                acks.add(() -> store.acknowledge(id, r));
            }
        }
        List<Acknowledgement> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Acknowledgement> f : pool.invokeAll(acks)) {
                results.add(f.get());
            }
        }
        assertEquals(messages, results.stream().filter(a -> a == Acknowledgement.LAST_RECIPIENT).count());
        assertEquals(messages * (recipients.size() - 1),
                results.stream().filter(a -> a == Acknowledgement.ACKNOWLEDGED).count());
        for (int i = 0; i < messages; i++) {
            assertFalse(store.messageExists("m" + i));
        }
    }

    @Test
    void deleteMessagesExpiredBy_returnsDeletedIdsAndRemovesDeliveries() {
        accounts("alice", "bob");
        MessageRecord old = message("old", "alice", T0);
        MessageRecord young = message("young", "alice", T0.plus(Duration.ofDays(1)));
        store.createMessage(old, List.of("bob"));
        store.createMessage(young, List.of("bob"));

        assertEquals(List.of("old"), store.deleteMessagesExpiredBy(old.expiresAt()));
        assertFalse(store.messageExists("old"));
        assertEquals(Acknowledgement.NOT_PENDING, store.acknowledge("old", "bob"));
        assertEquals(List.of(young), store.pendingMessages("bob", old.expiresAt()));
        assertEquals(List.of(), store.deleteMessagesExpiredBy(old.expiresAt()));
    }

    @Test
    void instants_keepMillisecondPrecision() {
        accounts("alice", "bob");
        Instant t = T0.plusMillis(123);
        store.createMessage(message("m1", "alice", t), List.of("bob"));
        assertEquals(t, store.pendingMessages("bob", T0).getFirst().sentAt());
        assertEquals(t.truncatedTo(ChronoUnit.MILLIS), t);
    }
}
