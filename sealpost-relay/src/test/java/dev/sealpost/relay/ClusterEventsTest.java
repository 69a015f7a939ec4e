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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The notices {@link ClusterEvents} publishes, on a channel that records them (the PostgreSQL path: ClusterTest). */
class ClusterEventsTest {
    private final List<String> published = new ArrayList<>();
    private final NodeChannel recording = new NodeChannel() {
        @Override
        public void publish(String payload) {
            assertTrue(payload.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES, "a notice over the limit");
            published.add(payload);
        }

        @Override
        public void close() {}
    };
    private final MessageSummary summary = new MessageSummary("AAAAAAAAAAAAAAAAAAAAAA", "alice", 42,
            Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-31T00:00:00Z"));

    private ClusterEvents events() throws Exception {
        return new ClusterEvents(new EventHub(Duration.ofSeconds(15), Clock.systemUTC()), receiver -> recording);
    }

    @Test
    void delivered_publishesOneNoticeWithNodeRecipientsAndSummary() throws Exception {
        ClusterEvents events = events();
        events.delivered(List.of("bob", "carol"), summary);

        assertEquals(1, published.size());
        ClusterEvents.Notice n = Json.mapper().readValue(published.getFirst(), ClusterEvents.Notice.class);
        assertEquals(new ClusterEvents.Notice(events.node(), List.of("bob", "carol"), summary), n);
    }

    @Test
    void delivered_tooManyRecipientsForOneNotice_splitsThemOverSeveral() throws Exception {
        // More than the protocol's 100 recipients, of the longest names: over 8,000 bytes together.
        List<String> to = IntStream.range(0, 400)
                .mapToObj(i -> String.format("%0" + AccountName.MAX_LENGTH + "d", i)).toList();
        events().delivered(to, summary);

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
        events.received(published.getFirst()); // its own: skipped (ClusterTest shows the stream side)
        events.received(published.getFirst().replace(events.node(), "someothernode000"));
    }
}
