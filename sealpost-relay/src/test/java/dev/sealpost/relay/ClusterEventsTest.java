package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.NodeChannel;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The notices {@link ClusterEvents} publishes, on a channel that records them (the PostgreSQL path: ClusterTest). */
class ClusterEventsTest {
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final List<Integer> batches = new CopyOnWriteArrayList<>();
    private CountDownLatch gate = new CountDownLatch(0);
    private final NodeChannel recording = new NodeChannel() {
        @Override
        public void publish(List<String> payloads) {
            try {
                gate.await(); // as a slow round trip to the database
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (String payload : payloads) {
                assertTrue(payload.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES, "a notice over the limit");
            }
            published.addAll(payloads);
            batches.add(payloads.size());
        }

        @Override
        public void close() {}
    };
    private final MessageSummary summary = new MessageSummary("AAAAAAAAAAAAAAAAAAAAAA", "alice", 42,
            Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-31T00:00:00Z"));

    /** The calls of the store's remembering part, in order ("remember true", "forget [ids]"). */
    private final List<String> storeCalls = new CopyOnWriteArrayList<>();
    /** A store that records those calls; ClusterEvents uses nothing else of it (ClusterTest: a real one). */
    private final MetadataStore store = (MetadataStore) Proxy.newProxyInstance(MetadataStore.class.getClassLoader(),
            new Class<?>[] {MetadataStore.class}, (proxy, method, args) -> switch (method.getName()) {
                case "rememberDeliveries" -> {
                    storeCalls.add("remember " + args[0]);
                    yield null;
                }
                case "forgetDeliveries" -> {
                    storeCalls.add("forget " + args[0]);
                    yield null;
                }
                case "toString" -> "a store recording what it is told to remember";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private ClusterEvents events() throws Exception {
        return new ClusterEvents(new EventHub(Duration.ofSeconds(15), Clock.systemUTC()), store, receiver -> recording);
    }

    /** Notices leave on the outbox's thread: waits (bounded) until {@code n} are published. */
    private void awaitPublished(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (published.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, published.size());
    }

    @Test
    void delivered_publishesOneNoticeWithNodeRecipientsAndSummary() throws Exception {
        ClusterEvents events = events();
        events.delivered(List.of("bob", "carol"), summary);

        awaitPublished(1);
        ClusterEvents.Notice n = Json.mapper().readValue(published.getFirst(), ClusterEvents.Notice.class);
        assertEquals(new ClusterEvents.Notice(events.node(), List.of("bob", "carol"), summary), n);
    }

    @Test
    void delivered_tooManyRecipientsForOneNotice_splitsThemOverSeveral() throws Exception {
        // More than the protocol's 100 recipients, of the longest names: over 8,000 bytes together.
        List<String> to = IntStream.range(0, 400)
                .mapToObj(i -> String.format("%0" + AccountName.MAX_LENGTH + "d", i)).toList();
        ClusterEvents events = events();
        events.delivered(to, summary);
        events.close(); // publishes what waits

        assertTrue(published.size() > 1);
        List<String> heard = new ArrayList<>();
        for (String p : published) {
            ClusterEvents.Notice n = Json.mapper().readValue(p, ClusterEvents.Notice.class);
            assertEquals(summary, n.message());
            heard.addAll(n.to());
        }
        assertEquals(to, heard);
    }

    @Test
    void received_ownOrMalformedNotices_areIgnoredWithoutThrowing() throws Exception {
        ClusterEvents events = events();
        events.received("{not json");
        events.received("{}");
        events.delivered(List.of("bob"), summary);
        awaitPublished(1);
        events.received(published.getFirst()); // its own: skipped (ClusterTest shows the stream side)
        events.received(published.getFirst().replace(events.node(), "someothernode000"));
    }

    @Test
    void deliveriesDeleted_publishIdsInNoticesOfAtMost256_andOtherNodesNoticesMakeTheStoreForget() throws Exception {
        ClusterEvents events = events();
        List<String> swept = IntStream.range(0, 600).mapToObj(i -> String.format("%022d", i)).toList();
        events.deliveriesDeleted(List.of(summary.id()));
        events.deliveriesDeleted(swept);
        awaitPublished(4);

        List<List<String>> forgotten = new ArrayList<>();
        for (String p : published) {
            ClusterEvents.Notice n = Json.mapper().readValue(p, ClusterEvents.Notice.class);
            assertEquals(new ClusterEvents.Notice(events.node(), null, null, n.forget()), n);
            forgotten.add(n.forget());
        }
        assertEquals(List.of(List.of(summary.id()), swept.subList(0, 256), swept.subList(256, 512), swept.subList(512, 600)),
                forgotten);

        events.received(published.getFirst()); // its own: it forgot before its commit
        events.received(published.getFirst().replace(events.node(), "someothernode000"));
        assertEquals(List.of("remember true", "forget [" + summary.id() + "]"), storeCalls);
    }

    @Test
    void remembering_onFromTheStart_offWhileListeningIsLost_onWhenItResumes_offAtClose() throws Exception {
        ClusterEvents events = events();
        assertEquals(List.of("remember true"), storeCalls);
        events.lost();
        events.resumed();
        events.close();
        assertEquals(List.of("remember true", "remember false", "remember true", "remember false"), storeCalls);
    }

    @Test
    void channelThatCannotOpen_leavesTheStoreNotRemembering() {
        assertThrows(IOException.class, () -> new ClusterEvents(new EventHub(Duration.ofSeconds(15), Clock.systemUTC()), store,
                receiver -> {
                    throw new IOException("no database");
                }));
        assertEquals(List.of("remember true", "remember false"), storeCalls);
    }

    /** Many sends at once: every notice is published, in order, in far fewer transactions than notices, none at close left behind. */
    @Test
    void manyNotices_arePublishedInOrder_inBatches_andCloseFlushesTheRest() throws Exception {
        gate = new CountDownLatch(1); // the first publish waits until all are queued
        ClusterEvents events = events();
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            events.delivered(List.of("bob" + i), summary);
        }
        gate.countDown();
        events.close();

        assertEquals(n, published.size());
        for (int i = 0; i < n; i++) {
            assertEquals(List.of("bob" + i), Json.mapper().readValue(published.get(i), ClusterEvents.Notice.class).to());
        }
        // the first (one notice, or a few) while the rest queued, then full batches
        assertTrue(batches.size() <= 2 + n / ClusterEvents.BATCH_NOTICES, batches.size() + " transactions for " + n + " notices");
        assertTrue(batches.stream().allMatch(b -> b <= ClusterEvents.BATCH_NOTICES));
    }
}
