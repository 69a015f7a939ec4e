package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.relay.store.NodeChannel;
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

    private ClusterEvents events() throws Exception {
        return new ClusterEvents(new EventHub(Duration.ofSeconds(15), Clock.systemUTC()), receiver -> recording);
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
