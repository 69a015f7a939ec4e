package dev.sealpost.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    /** @return a new, empty store; called again in a test, the same store reopened */
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

    /** @return a token hash whose session id (its first 16 hex digits) differs for every {@code i} */
    static String tok(int i) {
        return "%02x".formatted(i).repeat(32);
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
    void sendCheck_namesTheRecipientsThatExist_andTheSendersStoredBytes() {
        accounts("alice", "bob");
        assertEquals(new SendCheck(Set.of("alice", "bob"), 0), store.sendCheck("alice", List.of("alice", "carol", "bob"), T0));
        assertEquals(new SendCheck(Set.of(), 0), store.sendCheck("alice", List.of("carol"), T0));
        assertEquals(new SendCheck(Set.of(), 0), store.sendCheck("alice", List.of(), T0));
        store.createMessage(message("m1", "alice", T0), List.of("bob"));
        store.createMessage(message("m2", "alice", T0), List.of("bob"));
        store.createMessage(message("m3", "bob", T0), List.of("alice"));
        long alices = store.storedBytes("alice", T0);
        assertEquals(2 * message("m1", "alice", T0).size(), alices);
        assertEquals(new SendCheck(Set.of("bob"), alices), store.sendCheck("alice", List.of("bob", "carol"), T0));
        assertEquals(new SendCheck(Set.of(), alices), store.sendCheck("alice", List.of("carol", "dave"), T0));
        assertEquals(new SendCheck(Set.of(), 0), store.sendCheck("carol", List.of("carol"), T0), "no account, nothing stored");
    }

    @Test
    void storedBytes_followsSends_lastAcknowledgements_andExpiry() {
        accounts("alice", "bob", "carol");
        MessageRecord shared = new MessageRecord("m1", "alice", 1000, T0, T0.plus(Duration.ofDays(30)));
        MessageRecord soon = new MessageRecord("m2", "alice", 200, T0, T0.plus(Duration.ofHours(1)));
        MessageRecord bobs = new MessageRecord("m3", "bob", 30, T0, T0.plus(Duration.ofHours(1)));
        store.createMessage(shared, List.of("bob", "carol"));
        store.createMessage(soon, List.of("bob"));
        store.createMessage(bobs, List.of("alice"));
        assertEquals(1200, store.storedBytes("alice", T0));
        assertEquals(30, store.storedBytes("bob", T0));

        assertEquals(Acknowledgement.ACKNOWLEDGED, store.acknowledge("m1", "bob"));
        assertEquals(1200, store.storedBytes("alice", T0), "carol has not acknowledged: still stored");
        assertEquals(Acknowledgement.LAST_RECIPIENT, store.acknowledge("m1", "carol"));
        assertEquals(200, store.storedBytes("alice", T0));

        // One sweep deletes messages of two senders
        assertEquals(Set.of("m2", "m3"), Set.copyOf(store.deleteMessagesExpiredBy(T0.plus(Duration.ofHours(1)))));
        assertEquals(0, store.storedBytes("alice", T0));
        assertEquals(0, store.storedBytes("bob", T0));
        assertEquals(new SendCheck(Set.of("bob"), 0), store.sendCheck("alice", List.of("bob"), T0));

        store.createMessage(message("m4", "alice", T0), List.of("bob"));
        assertEquals(42, store.storedBytes("alice", T0), "counted again from zero");
        assertEquals(new SendCheck(Set.of("bob"), 42), store.sendCheck("alice", List.of("bob"), T0));
    }

    /**
     * Sends that wait while another commit runs are stored together (one transaction on SQLite,
     * one statement on PostgreSQL); a message that cannot be stored fails alone, and is not
     * remembered.
     */
    @Test
    void sendsStoredTogether_eachHasItsOwnOutcome() throws Exception {
        accounts("alice", "bob", "carol");
        store.createMessage(message("m0", "alice", T0), List.of("bob"));
        JdbcMetadataStore jdbc = (JdbcMetadataStore) store;
        Map<String, List<String>> sends = new LinkedHashMap<>();
        sends.put("m1", List.of("bob"));
        sends.put("m2", List.of("bob", "nobody"));   // an unknown recipient
        sends.put("m3", List.of("bob", "carol"));
        sends.put("m0", List.of("carol"));           // an id that exists
        sends.put("m4", List.of("carol"));
        ExecutorService pool = Executors.newFixedThreadPool(sends.size());
        Map<String, Future<Boolean>> outcomes = new LinkedHashMap<>();
        jdbc.commitLock().lock();
        try {
            for (Map.Entry<String, List<String>> e : sends.entrySet()) {
                outcomes.put(e.getKey(), pool.submit(() -> store.createMessage(message(e.getKey(), "alice", T0), e.getValue(), List.of())));
            }
            for (int i = 0; i < 1000 && jdbc.waitingMessages() < sends.size(); i++) {
                Thread.sleep(10);
            }
            assertEquals(sends.size(), jdbc.waitingMessages(), "all five wait for one commit");
        } finally {
            jdbc.commitLock().unlock();
        }
        try {
            for (String ok : List.of("m1", "m3", "m4")) {
                assertTrue(outcomes.get(ok).get(30, TimeUnit.SECONDS), ok);
            }
            for (String failed : List.of("m2", "m0")) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> outcomes.get(failed).get(30, TimeUnit.SECONDS));
                assertInstanceOf(StoreException.class, e.getCause(), failed);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Set.of("m0", "m1", "m3"), Set.copyOf(store.pendingMessages("bob", T0).stream().map(MessageRecord::id).toList()));
        assertEquals(Set.of("m3", "m4"), Set.copyOf(store.pendingMessages("carol", T0).stream().map(MessageRecord::id).toList()));
        assertEquals(Optional.empty(), store.pendingMessage("m2", "bob", T0), "the failed send is neither stored nor remembered");
        assertEquals(Optional.of(message("m3", "alice", T0)), store.pendingMessage("m3", "carol", T0));
        assertEquals(4 * 42, store.storedBytes("alice", T0));
        assertEquals(Acknowledgement.ACKNOWLEDGED, store.acknowledge("m3", "bob"), "m3 waits for both its recipients");
        assertEquals(Acknowledgement.LAST_RECIPIENT, store.acknowledge("m3", "carol"));
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

        assertEquals(Set.of("bob", "carol"), Set.copyOf(store.pendingRecipients("m1")));
        assertEquals(Acknowledgement.NOT_PENDING, store.acknowledge("m1", "alice"));
        assertEquals(Acknowledgement.ACKNOWLEDGED, store.acknowledge("m1", "bob"));
        assertEquals(Acknowledgement.NOT_PENDING, store.acknowledge("m1", "bob"));
        assertTrue(store.messageExists("m1"));
        assertEquals(List.of("carol"), store.pendingRecipients("m1"));
        assertEquals(Optional.of(message("m1", "alice", T0)), store.message("m1"));
        assertEquals(Acknowledgement.LAST_RECIPIENT, store.acknowledge("m1", "carol"));
        assertFalse(store.messageExists("m1"));
        assertEquals(Optional.empty(), store.message("m1"));
        assertEquals(List.of(), store.pendingRecipients("m1"));
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

    /**
     * Messages stored at the same time may share a commit (SQLite): each is still stored or
     * refused on its own, and a refused one leaves no row behind nor takes others with it.
     */
    @Test
    void createMessage_concurrently_eachStoredOrRefusedOnItsOwn() throws Exception {
        accounts("alice", "bob", "carol");
        int messages = 60;
        List<Callable<Boolean>> sends = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            String id = i % 10 == 7 ? "m" + (i - 1) : "m" + i; // a duplicate of the one before
            List<String> to = i % 10 == 3 ? List.of("bob", "nobody") : List.of("bob", "carol");
            sends.add(() -> {
                try {
                    store.createMessage(message(id, "alice", T0), to);
                    return true;
                } catch (StoreException e) {
                    return false;
                }
            });
        }
        int stored = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Boolean>> results = pool.invokeAll(sends);
            for (int i = 0; i < messages; i++) {
                boolean ok = results.get(i).get();
                if (i % 10 == 3) {
                    assertFalse(ok, "m" + i + " names an unknown recipient");
                    assertFalse(store.messageExists("m" + i));
                } else if (i % 10 != 6 && i % 10 != 7) {
                    assertTrue(ok, "m" + i);
                }
                stored += ok ? 1 : 0;
            }
        }
        // m6 and its duplicate: exactly one of the two was stored
        assertEquals(messages - messages / 10 - messages / 10, stored);
        assertEquals(stored, store.pendingMessages("bob", T0).size());
        assertEquals(stored, store.pendingMessages("carol", T0).size());
        for (int i = 6; i < messages; i += 10) {
            assertTrue(store.messageExists("m" + i));
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

    // --- uploads ------------------------------------------------------------------------------

    static UploadRecord upload(String id, String owner, long length) {
        return UploadRecord.created(id, owner, length, T0, T0.plus(Duration.ofDays(1)));
    }

    @Test
    void createUpload_roundTripsAndRecordsOffsetsUntilComplete() {
        accounts("alice");
        UploadRecord u = upload("u1", "alice", 100);
        assertTrue(store.createUpload(u, 10));
        assertEquals(Optional.of(u), store.upload("u1"));
        assertFalse(u.complete());

        assertTrue(store.recordUploadOffset("u1", 40, T0.plusSeconds(1), T0));
        assertEquals(40, store.upload("u1").orElseThrow().offset());
        assertEquals(null, store.upload("u1").orElseThrow().completedAt());
        assertFalse(store.recordUploadOffset("u1", 101, T0.plusSeconds(2), T0));
        assertTrue(store.recordUploadOffset("u1", 100, T0.plusSeconds(3), T0));
        UploadRecord done = store.upload("u1").orElseThrow();
        assertTrue(done.complete());
        assertEquals(T0.plusSeconds(3), done.completedAt());
        Instant later = u.expiresAt().plusSeconds(600);
        assertTrue(store.recordUploadOffset("u1", 100, T0.plusSeconds(4), later));
        assertEquals(later, store.upload("u1").orElseThrow().expiresAt(), "recorded bytes move the expiry later");
        assertTrue(store.recordUploadOffset("u1", 100, T0.plusSeconds(5), T0));
        assertEquals(later, store.upload("u1").orElseThrow().expiresAt(), "never earlier");
        assertEquals(T0.plusSeconds(3), store.upload("u1").orElseThrow().completedAt());
        assertEquals(Optional.empty(), store.upload("nothing"));
        assertFalse(store.recordUploadOffset("nothing", 1, T0, T0));
    }

    @Test
    void totals_sumMessagesAndUploadsOfEveryAccount() {
        assertEquals(StoreTotals.EMPTY, store.totals());
        accounts("alice", "bob");
        store.createMessage(message("m1", "alice", T0), List.of("bob"));
        store.createMessage(message("m2", "bob", T0), List.of("alice"));
        store.createUpload(upload("partial", "alice", 100), 10);
        store.recordUploadOffset("partial", 40, T0, T0);
        store.createUpload(upload("done", "bob", 7), 10);
        store.recordUploadOffset("done", 7, T0, T0);
        assertTrue(store.createMessage(message("m3", "bob", T0), List.of("alice"), List.of("done")));

        assertEquals(new StoreTotals(3, 3 * 42, 2, 1, 47), store.totals());
        store.acknowledge("m1", "bob");
        assertEquals(new StoreTotals(2, 2 * 42, 2, 1, 47), store.totals());
    }

    @Test
    void createUpload_emptyIsCompleteAtOnce_andUnknownOwnerThrows() {
        accounts("alice");
        assertTrue(store.createUpload(upload("u0", "alice", 0), 10));
        assertTrue(store.upload("u0").orElseThrow().complete());
        assertEquals(T0, store.upload("u0").orElseThrow().completedAt());
        assertThrows(StoreException.class, () -> store.createUpload(upload("u1", "nobody", 5), 10));
        assertThrows(StoreException.class, () -> store.createUpload(upload("u0", "alice", 5), 10));
    }

    @Test
    void createUpload_capsIncompleteUnexpiredUploadsPerOwner() {
        accounts("alice", "bob");
        assertTrue(store.createUpload(upload("a1", "alice", 10), 2));
        assertTrue(store.createUpload(upload("a2", "alice", 10), 2));
        assertFalse(store.createUpload(upload("a3", "alice", 10), 2));
        assertEquals(Optional.empty(), store.upload("a3"));
        assertTrue(store.createUpload(upload("b1", "bob", 10), 2));
        assertTrue(store.createUpload(upload("a0", "alice", 0), 2)); // complete: not counted

        assertTrue(store.recordUploadOffset("a1", 10, T0, T0)); // complete: no longer counted
        assertTrue(store.createUpload(upload("a3", "alice", 10), 2));
        // expired ones do not count either
        UploadRecord later = UploadRecord.created("a4", "alice", 10, T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)));
        assertTrue(store.createUpload(later, 2));
    }

    @Test
    void createMessageWithBlobs_attachesCompleteOwnUploadsOnly_allOrNothing() {
        accounts("alice", "bob");
        store.createUpload(upload("done", "alice", 5), 10);
        store.recordUploadOffset("done", 5, T0, T0);
        store.createUpload(upload("partial", "alice", 5), 10);
        store.createUpload(upload("bobs", "bob", 0), 10);

        assertFalse(store.createMessage(message("m1", "alice", T0), List.of("bob"), List.of("done", "partial")));
        assertFalse(store.messageExists("m1"));
        assertEquals(null, store.upload("done").orElseThrow().messageId());
        assertFalse(store.createMessage(message("m1", "alice", T0), List.of("bob"), List.of("bobs")));
        assertFalse(store.createMessage(message("m1", "alice", T0), List.of("bob"), List.of("missing")));
        assertFalse(store.createMessage(message("m1", "alice", T0.plus(Duration.ofDays(1))), List.of("bob"), List.of("done")));
        assertEquals(List.of(), store.pendingMessages("bob", T0));

        assertTrue(store.createMessage(message("m1", "alice", T0), List.of("bob"), List.of("done")));
        assertEquals("m1", store.upload("done").orElseThrow().messageId());
        assertEquals(List.of("done"), store.messageBlobs("m1"));
        // attached: no longer changed, deleted or attached again
        assertFalse(store.recordUploadOffset("done", 5, T0, T0));
        assertFalse(store.deleteUpload("done"));
        assertFalse(store.createMessage(message("m2", "alice", T0), List.of("bob"), List.of("done")));
        assertFalse(store.messageExists("m2"));
    }

    @Test
    void blobs_goWithTheirMessage_onLastAcknowledgementOrExpiry() {
        accounts("alice", "bob");
        for (String id : List.of("u1", "u2", "u3")) {
            store.createUpload(upload(id, "alice", 0), 10);
        }
        assertTrue(store.createMessage(message("m1", "alice", T0), List.of("bob"), List.of("u1", "u2")));
        MessageRecord later = message("m2", "alice", T0.plusSeconds(10));
        assertTrue(store.createMessage(later, List.of("bob"), List.of("u3")));
        assertEquals(Set.of("u1", "u2"), Set.copyOf(store.messageBlobs("m1")));

        assertEquals(Acknowledgement.LAST_RECIPIENT, store.acknowledge("m1", "bob"));
        assertEquals(Optional.empty(), store.upload("u1"));
        assertEquals(List.of(), store.messageBlobs("m1"));

        assertEquals(List.of(), store.blobsOfMessagesExpiredBy(later.expiresAt().minusMillis(1)));
        assertEquals(List.of("u3"), store.blobsOfMessagesExpiredBy(later.expiresAt()));
        assertEquals(List.of("m2"), store.deleteMessagesExpiredBy(later.expiresAt()));
        assertEquals(Optional.empty(), store.upload("u3"));
    }

    @Test
    void deleteUpload_andExpiry_removeOnlyUnattachedUploads() {
        accounts("alice", "bob");
        store.createUpload(upload("gone", "alice", 5), 10);
        store.createUpload(upload("old", "alice", 5), 10);
        store.createUpload(upload("sent", "alice", 0), 10);
        UploadRecord young = UploadRecord.created("young", "alice", 5, T0.plusSeconds(1), T0.plus(Duration.ofDays(1)).plusSeconds(1));
        store.createUpload(young, 10);
        MessageRecord longLived = new MessageRecord("m1", "alice", 1, T0, T0.plus(Duration.ofDays(30)));
        assertTrue(store.createMessage(longLived, List.of("bob"), List.of("sent")));

        assertTrue(store.deleteUpload("gone"));
        assertFalse(store.deleteUpload("gone"));
        Instant day = T0.plus(Duration.ofDays(1));
        assertEquals(List.of("old"), store.uploadsExpiredBy(day));
        // only what is still expired and unattached goes, whatever the caller names
        assertEquals(List.of("old"), store.deleteExpiredUploads(List.of("old", "young", "sent", "nothing"), day));
        assertEquals(Optional.empty(), store.upload("old"));
        assertTrue(store.upload("young").isPresent());
        assertTrue(store.upload("sent").isPresent());
        assertEquals(List.of(), store.uploadsExpiredBy(day));
        assertEquals(List.of(), store.deleteExpiredUploads(List.of(), day));
    }

    @Test
    void sessions_listTouchRevokeOneAndOthers() {
        accounts("alice", "bob");
        store.createToken(new TokenRecord(tok(1), "alice", T0, T0.plusSeconds(3600), null, "laptop", "192.0.2.1"));
        store.createToken(new TokenRecord(tok(2), "alice", T0.plusSeconds(1), T0.plusSeconds(3600)));
        store.createToken(new TokenRecord(tok(3), "alice", T0, T0.plusSeconds(10))); // expired by T0+60
        store.createToken(new TokenRecord(tok(4), "bob", T0, T0.plusSeconds(3600)));
        List<TokenRecord> alice = store.tokens("alice", T0.plusSeconds(60));
        assertEquals(List.of(tok(1), tok(2)), alice.stream().map(TokenRecord::tokenHash).toList(), "oldest first, unexpired");
        assertEquals("laptop", alice.getFirst().client());
        assertEquals("192.0.2.1", alice.getFirst().address());
        assertEquals(null, alice.getFirst().lastUsedAt());
        store.touchToken(tok(1), T0.plusSeconds(30));
        assertEquals(Optional.of(T0.plusSeconds(30)), store.token(tok(1)).map(TokenRecord::lastUsedAt));

        assertFalse(store.deleteToken("bob", new TokenRecord(tok(1), "alice", T0, T0).id()), "not bob's");
        assertTrue(store.deleteToken("alice", new TokenRecord(tok(2), "alice", T0, T0).id()));
        assertEquals(Optional.empty(), store.token(tok(2)));
        assertEquals(1, store.deleteTokensExcept("alice", tok(1)), "the expired one");
        assertEquals(List.of(tok(1)), store.tokens("alice", T0).stream().map(TokenRecord::tokenHash).toList());
        assertEquals(1, store.tokens("bob", T0).size(), "bob's untouched");
        assertTrue(store.setPasswordHash("alice", HASH + "x"));
        assertEquals(Optional.of(HASH + "x"), store.passwordHash("alice"));
        assertFalse(store.setPasswordHash("nobody", HASH));
    }

    @Test
    void secondFactor_enrolConfirmStepsOnceRecoveryCodesOnce() {
        accounts("alice");
        assertTrue(store.beginMfa(new MfaRecord("alice", "sealed-1", false, -1, T0)));
        assertTrue(store.beginMfa(new MfaRecord("alice", "sealed-2", false, -1, T0)), "an unconfirmed one is replaced");
        assertEquals(Optional.of("sealed-2"), store.mfa("alice").map(MfaRecord::secret));
        assertFalse(store.acceptMfaStep("alice", 10), "not before it is confirmed");
        assertTrue(store.confirmMfa("alice", 10, List.of("h1", "h2")));
        assertFalse(store.confirmMfa("alice", 11, List.of("h3")), "once");
        assertFalse(store.beginMfa(new MfaRecord("alice", "sealed-3", false, -1, T0)), "not over a confirmed one");
        assertEquals(Optional.of(true), store.mfa("alice").map(MfaRecord::confirmed));
        assertFalse(store.acceptMfaStep("alice", 10), "the confirming step is used");
        assertTrue(store.acceptMfaStep("alice", 12));
        assertFalse(store.acceptMfaStep("alice", 11), "never an older step");
        assertEquals(2, store.recoveryCodesLeft("alice"));
        assertTrue(store.useRecoveryCode("alice", "h1", T0));
        assertFalse(store.useRecoveryCode("alice", "h1", T0), "once");
        assertFalse(store.useRecoveryCode("alice", "nope", T0));
        assertEquals(1, store.recoveryCodesLeft("alice"));
        assertTrue(store.deleteMfa("alice"));
        assertEquals(Optional.empty(), store.mfa("alice"));
        assertEquals(0, store.recoveryCodesLeft("alice"));
        assertFalse(store.deleteMfa("alice"));
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
}
