package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MailboxesTest extends RelayTestBase {
    static final byte[] SEALED = "pretend this is application/pkcs7-mime".getBytes();
    String alice;
    String bob;
    String carol;

    @BeforeEach
    void accounts() {
        alice = client.account("alice");
        bob = client.account("bob");
        carol = client.account("carol");
    }

    private MessageList inbox(String token) {
        HttpResponse<String> r = client.get(Api.MESSAGES, token);
        assertEquals(200, r.statusCode(), r.body());
        return client.read(r, MessageList.class);
    }

    private SendResponse sent(HttpResponse<String> r) {
        assertEquals(201, r.statusCode(), r.body());
        return client.read(r, SendResponse.class);
    }

    private HttpResponse<byte[]> fetch(String token, String id) {
        return client.sendForBytes(client.request("/v1/messages/" + id, token).GET().build());
    }

    private HttpResponse<String> ack(String token, String id) {
        return client.send(client.request("/v1/messages/" + id, token).DELETE().build());
    }

    /** The stored sealed messages (the relay's folder for them is still named {@code blobs/}). */
    private List<Path> storedMessages() throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("blobs"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** The stored sealed messages, once the relay's delete thread (which runs after an acknowledgement is answered) has emptied the folder, or after 30 s. */
    private List<Path> storedMessagesOnceDeleted() throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        List<Path> left = storedMessages();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = storedMessages();
        }
        return left;
    }

    @Test
    void send_toOneRecipient_listFetchAck_thenGone() throws IOException {
        SendResponse s = sent(client.sendMessage(alice, SEALED, "bob"));
        assertEquals(List.of("bob"), s.recipients());
        assertEquals(SEALED.length, s.size());

        List<MessageSummary> listed = inbox(bob).messages();
        assertEquals(1, listed.size());
        MessageSummary m = listed.getFirst();
        assertEquals(s.id(), m.id());
        assertEquals("alice", m.sender());
        assertEquals(SEALED.length, m.size());
        assertEquals(m.sentAt().plus(RelayConfig.DEFAULT_MESSAGE_TTL), m.expiresAt());

        HttpResponse<byte[]> f = fetch(bob, s.id());
        assertEquals(200, f.statusCode());
        assertArrayEquals(SEALED, f.body());
        assertEquals(Api.SEALED_MEDIA_TYPE, f.headers().firstValue("Content-Type").orElseThrow());

        assertEquals(204, ack(bob, s.id()).statusCode());
        assertEquals(List.of(), inbox(bob).messages());
        assertEquals(404, fetch(bob, s.id()).statusCode());
        assertEquals(404, ack(bob, s.id()).statusCode());
        assertEquals(List.of(), storedMessagesOnceDeleted());
    }

    @Test
    void send_toTwoRecipients_storedMessageRemovedOnlyAfterLastAck() throws IOException {
        SendResponse s = sent(client.sendMessage(alice, SEALED, "bob", "carol"));
        assertEquals(List.of("bob", "carol"), s.recipients());
        assertEquals(1, storedMessages().size());

        assertEquals(204, ack(bob, s.id()).statusCode());
        assertEquals(List.of(), inbox(bob).messages());
        assertEquals(1, storedMessages().size());
        assertArrayEquals(SEALED, fetch(carol, s.id()).body());

        assertEquals(204, ack(carol, s.id()).statusCode());
        assertEquals(List.of(), storedMessagesOnceDeleted());
    }

    @Test
    void send_duplicateRecipients_collapse() {
        SendResponse s = sent(client.sendMessage(alice, SEALED, "bob", "bob", "carol", "bob"));
        assertEquals(List.of("bob", "carol"), s.recipients());
        assertEquals(1, inbox(bob).messages().size());
        assertEquals(204, ack(bob, s.id()).statusCode());
        assertEquals(404, ack(bob, s.id()).statusCode());
    }

    @Test
    void list_returnsOldestFirst_andOnlyOwnMessages() {
        String first = sent(client.sendMessage(alice, SEALED, "bob")).id();
        String second = sent(client.sendMessage(carol, SEALED, "bob")).id();
        String third = sent(client.sendMessage(alice, SEALED, "bob", "carol")).id();

        assertEquals(List.of(first, second, third), inbox(bob).messages().stream().map(MessageSummary::id).toList());
        assertEquals(List.of(third), inbox(carol).messages().stream().map(MessageSummary::id).toList());
        assertEquals(List.of(), inbox(alice).messages());
    }

    @Test
    void fetch_byNonRecipient_returns404LikeNonexistent() {
        String id = sent(client.sendMessage(alice, SEALED, "bob")).id();

        HttpResponse<byte[]> byCarol = fetch(carol, id);
        HttpResponse<byte[]> bySender = fetch(alice, id);
        HttpResponse<byte[]> nonexistent = fetch(carol, "AAAAAAAAAAAAAAAAAAAAAA");

        assertEquals(404, byCarol.statusCode());
        assertEquals(404, bySender.statusCode());
        assertEquals(404, nonexistent.statusCode());
        assertArrayEquals(nonexistent.body(), byCarol.body());
        assertEquals(List.of(), inbox(carol).messages());
    }

    @Test
    void ack_byNonRecipient_returns404AndLeavesMessage() {
        String id = sent(client.sendMessage(alice, SEALED, "bob")).id();
        assertEquals(404, ack(carol, id).statusCode());
        assertEquals(1, inbox(bob).messages().size());
    }

    @Test
    void fetch_malformedId_returns404() {
        assertEquals(404, fetch(bob, "..%2F..%2Frelay.db").statusCode());
    }

    @Test
    void send_unknownRecipient_returns404AndStoresNothing() throws IOException {
        HttpResponse<String> r = client.sendMessage(alice, SEALED, "bob", "mallory");
        assertEquals(404, r.statusCode());
        assertEquals("unknown recipient: mallory", client.error(r));
        assertEquals(List.of(), inbox(bob).messages());
        assertEquals(List.of(), storedMessages());
    }

    @Test
    void send_noRecipient_returns400() {
        HttpResponse<String> r = client.send(client.request(Api.MESSAGES, alice)
                .POST(HttpRequest.BodyPublishers.ofByteArray(SEALED)).build());
        assertEquals(400, r.statusCode());
        assertEquals("no recipient: add ?to=NAME", client.error(r));
    }

    @Test
    void send_emptyBody_returns400AndStoresNothing() throws IOException {
        HttpResponse<String> r = client.sendMessage(alice, new byte[0], "bob");
        assertEquals(400, r.statusCode());
        assertEquals("empty message", client.error(r));
        assertEquals(List.of(), storedMessages());
    }

    @Test
    void expiredMessage_isHiddenAndSweptWithItsBytes() throws IOException {
        String id = sent(client.sendMessage(alice, SEALED, "bob")).id();
        clock.advance(RelayConfig.DEFAULT_MESSAGE_TTL);
        bob = client.read(client.login("bob", "password of bob"), dev.sealpost.protocol.SessionResponse.class).token();

        assertEquals(List.of(), inbox(bob).messages());
        assertEquals(404, fetch(bob, id).statusCode());
        assertEquals(1, storedMessages().size());

        relay.housekeeping();
        assertEquals(List.of(), storedMessages());
    }

    @Test
    void fetch_largeMessage_streamsAllBytes() {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(1).nextBytes(big);
        String id = sent(client.sendMessage(alice, big, "bob")).id();
        HttpResponse<byte[]> f = fetch(bob, id);
        assertEquals(200, f.statusCode());
        assertEquals(Long.toString(big.length), f.headers().firstValue("Content-Length").orElseThrow());
        assertArrayEquals(big, f.body());
    }

    @Test
    void orphanStoredMessage_isRemovedAtStart() throws IOException {
        String id = sent(client.sendMessage(alice, SEALED, "bob")).id();
        Files.write(dataDir.resolve("blobs").resolve("BBBBBBBBBBBBBBBBBBBBBB"), SEALED);
        Files.write(dataDir.resolve("blobs").resolve("tmp").resolve("upload-1.part"), SEALED);

        restart();

        assertEquals(List.of(dataDir.resolve("blobs").resolve(id)), storedMessages());
        try (Stream<Path> tmp = Files.list(dataDir.resolve("blobs").resolve("tmp"))) {
            assertFalse(tmp.findAny().isPresent());
        }
        assertTrue(Files.exists(dataDir.resolve("blobs").resolve(id)));
    }
}
