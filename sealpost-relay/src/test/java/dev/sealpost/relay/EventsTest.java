package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventsTest extends RelayTestBase {
    private static final String END = TestClient.END_OF_STREAM;
    private final List<Stream<String>> open = new ArrayList<>();
    String alice;
    String bob;
    String carol;

    @BeforeEach
    void accounts() {
        alice = client.account("alice");
        bob = client.account("bob");
        carol = client.account("carol");
    }

    @AfterEach
    void closeStreams() {
        open.forEach(Stream::close);
    }

    private static String next(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertNotNull(line, "no event within 10 s");
        return line;
    }

    /** Reads one event: its id, name and data lines. */
    private MessageSummary nextMessageEvent(BlockingQueue<String> lines) throws Exception {
        String id = next(lines);
        assertEquals("event: message", next(lines));
        String data = next(lines);
        assertEquals("", next(lines));
        assertTrue(data.startsWith("data: "), data);
        MessageSummary summary = client.json.readValue(data.substring("data: ".length()), MessageSummary.class);
        assertEquals("id: " + summary.id(), id);
        return summary;
    }

    @Test
    void events_newMessage_deliversMessageEventWithSummary() throws Exception {
        BlockingQueue<String> bobEvents = client.subscribe(bob, open);

        SendResponse sent = client.read(client.sendMessage(alice, "sealed".getBytes(), "bob"), SendResponse.class);

        MessageSummary summary = nextMessageEvent(bobEvents);
        assertEquals(sent.id(), summary.id());
        assertEquals("alice", summary.sender());
        assertEquals(6, summary.size());
        assertNotNull(summary.sentAt());
        assertNotNull(summary.expiresAt());
    }

    @Test
    void events_areOnlyForTheirRecipients() throws Exception {
        BlockingQueue<String> bobEvents = client.subscribe(bob, open);
        BlockingQueue<String> carolEvents = client.subscribe(carol, open);

        String toBob = client.read(client.sendMessage(alice, "one".getBytes(), "bob"), SendResponse.class).id();
        String toCarol = client.read(client.sendMessage(alice, "two".getBytes(), "carol"), SendResponse.class).id();
        String toBoth = client.read(client.sendMessage(alice, "three".getBytes(), "bob", "carol"), SendResponse.class).id();

        assertEquals(toBob, nextMessageEvent(bobEvents).id());
        assertEquals(toBoth, nextMessageEvent(bobEvents).id());
        assertEquals(toCarol, nextMessageEvent(carolEvents).id());
        assertEquals(toBoth, nextMessageEvent(carolEvents).id());
    }

    @Test
    void events_reachEveryStreamOfTheAccount() throws Exception {
        BlockingQueue<String> first = client.subscribe(bob, open);
        BlockingQueue<String> second = client.subscribe(bob, open);
        String id = client.read(client.sendMessage(alice, "x".getBytes(), "bob"), SendResponse.class).id();
        assertEquals(id, nextMessageEvent(first).id());
        assertEquals(id, nextMessageEvent(second).id());
    }

    @Test
    void events_streamEndsWhenRelayStops() throws Exception {
        BlockingQueue<String> bobEvents = client.subscribe(bob, open);
        relay.close();
        String line;
        do {
            line = next(bobEvents);
        } while (!line.equals(END));
        assertEquals(0, relay.eventStreams("bob"));
    }

    @Test
    void events_withoutToken_returns401() throws IOException, InterruptedException {
        HttpResponse<String> r = client.http.send(client.request(Api.EVENTS).header("Accept", "text/event-stream")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals(0, relay.eventStreams("bob"));
    }

    @Test
    void events_withoutAcceptEventStream_returns400() {
        HttpResponse<String> r = client.send(client.request(Api.EVENTS, bob).GET().build());
        assertEquals(400, r.statusCode());
        assertEquals("GET /v1/events needs the header Accept: text/event-stream", client.error(r));
        assertEquals(0, relay.eventStreams("bob"));
    }

    @Test
    void events_afterClientDisconnects_subscriptionIsRemovedAtNextWrite() throws Exception {
        client.subscribe(bob, open);
        open.getFirst().close();
        assertEquals(1, relay.eventStreams("bob"));
        for (int i = 0; i < 50 && relay.eventStreams("bob") > 0; i++) {
            client.sendMessage(alice, "x".getBytes(), "bob");
            Thread.sleep(100);
        }
        assertEquals(0, relay.eventStreams("bob"));
    }
}
