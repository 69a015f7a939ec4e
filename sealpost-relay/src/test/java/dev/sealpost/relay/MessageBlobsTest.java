package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages that reference complete uploads, and their download by recipients with HTTP Range. */
class MessageBlobsTest extends RelayTestBase {
    static final byte[] SEALED = "sealed message naming its blobs".getBytes();
    static final byte[] DATA = UploadsTest.random(10_000, 7);
    String alice;
    String bob;
    String carol;

    @BeforeEach
    void accounts() {
        alice = client.account("alice");
        bob = client.account("bob");
        carol = client.account("carol");
    }

    String completeUpload(String token, byte[] data) {
        String id = client.upload(token, data.length);
        assertEquals(204, client.patch(token, id, 0, data).statusCode());
        return id;
    }

    String send(List<String> to, List<String> blobs) {
        HttpResponse<String> r = client.sendMessage(alice, SEALED, to, blobs);
        assertEquals(201, r.statusCode(), r.body());
        return client.read(r, SendResponse.class).id();
    }

    void assertNoMessageStored() throws IOException {
        assertEquals(List.of(), client.read(client.get(Api.MESSAGES, bob), MessageList.class).messages());
        try (Stream<Path> s = Files.list(dataDir.resolve("blobs"))) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList());
        }
    }

    @Test
    void incompleteUpload_returns400AndStoresNothing() throws IOException {
        String id = client.upload(alice, 100);
        assertEquals(204, client.patch(alice, id, 0, new byte[99]).statusCode());
        HttpResponse<String> r = client.sendMessage(alice, SEALED, List.of("bob"), List.of(id));
        assertEquals(400, r.statusCode());
        assertEquals("upload " + id + " is not complete", client.error(r));
        assertNoMessageStored();
        assertEquals(99, client.offset(alice, id)); // still the sender's, still resumable
    }

    @Test
    void someoneElsesOrUnknownUpload_returns404AndStoresNothing() throws IOException {
        String bobs = completeUpload(bob, DATA);
        HttpResponse<String> r = client.sendMessage(alice, SEALED, List.of("bob"), List.of(bobs));
        assertEquals(404, r.statusCode());
        assertEquals("unknown upload: " + bobs, client.error(r));
        assertEquals(404, client.sendMessage(alice, SEALED, List.of("bob"), List.of("AAAAAAAAAAAAAAAAAAAAAA")).statusCode());
        assertEquals(404, client.sendMessage(alice, SEALED, List.of("bob"), List.of("no/such")).statusCode());
        assertNoMessageStored();
    }

    @Test
    void uploadOfAnotherMessage_returns409() {
        String id = completeUpload(alice, DATA);
        send(List.of("bob"), List.of(id));
        HttpResponse<String> r = client.sendMessage(alice, SEALED, List.of("carol"), List.of(id));
        assertEquals(409, r.statusCode());
        assertEquals(List.of(), client.read(client.get(Api.MESSAGES, carol), MessageList.class).messages());
    }

    @Test
    void retriedSend_withTheSameUploads_isAnsweredWithTheStoredMessage_notStoredTwice() {
        String one = completeUpload(alice, DATA);
        String two = completeUpload(alice, UploadsTest.random(100, 3));
        String m = send(List.of("bob", "carol"), List.of(one, two));

        // the answer was lost; the client seals again (other bytes) and posts with the same uploads
        HttpResponse<String> again = client.sendMessage(alice, "sealed again".getBytes(), List.of("carol", "bob"), List.of(two, one));
        assertEquals(201, again.statusCode(), again.body());
        SendResponse answer = client.read(again, SendResponse.class);
        assertEquals(m, answer.id());
        assertEquals(SEALED.length, answer.size());
        assertEquals(1, client.read(client.get(Api.MESSAGES, bob), MessageList.class).messages().size());
        assertArrayEquals(SEALED, client.sendForBytes(client.request(Api.MESSAGES + "/" + m, bob).GET().build()).body());

        // not the same message: other blobs, a recipient left out, or one added
        assertEquals(409, client.sendMessage(alice, SEALED, List.of("bob", "carol"), List.of(one)).statusCode());
        assertEquals(409, client.sendMessage(alice, SEALED, List.of("bob"), List.of(one, two)).statusCode());
        assertEquals(409, client.sendMessage(alice, SEALED, List.of("bob", "carol", "alice"), List.of(one, two)).statusCode());
        // another sender naming them learns nothing
        assertEquals(404, client.sendMessage(bob, SEALED, List.of("bob", "carol"), List.of(one, two)).statusCode());

        // once bob has it, a retry can no longer be told from a new send to bob: 409, nothing stored
        assertEquals(204, client.send(client.request(Api.MESSAGES + "/" + m, bob).DELETE().build()).statusCode());
        assertEquals(409, client.sendMessage(alice, SEALED, List.of("bob", "carol"), List.of(one, two)).statusCode());
        assertEquals(List.of(), client.read(client.get(Api.MESSAGES, bob), MessageList.class).messages());
    }

    @Test
    void oneBadUploadAmongGoodOnes_attachesNone() {
        String good = completeUpload(alice, DATA);
        String partial = client.upload(alice, 10);
        assertEquals(400, client.sendMessage(alice, SEALED, List.of("bob"), List.of(good, partial)).statusCode());
        // the good one is still unattached: it can go with another message
        String m = send(List.of("bob"), List.of(good));
        assertArrayEquals(DATA, client.blob(bob, m, good, null).body());
    }

    @Test
    void recipient_downloadsWholeAndRanges() {
        String id = completeUpload(alice, DATA);
        String m = send(List.of("bob"), List.of(id));

        HttpResponse<byte[]> whole = client.blob(bob, m, id, null);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(DATA, whole.body());
        assertEquals(Long.toString(DATA.length), whole.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals("application/octet-stream", whole.headers().firstValue("Content-Type").orElseThrow());

        HttpResponse<byte[]> tail = client.blob(bob, m, id, "bytes=9000-");
        assertEquals(206, tail.statusCode());
        assertEquals("bytes 9000-9999/10000", tail.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("1000", tail.headers().firstValue("Content-Length").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(DATA, 9000, 10_000), tail.body());

        HttpResponse<byte[]> middle = client.blob(bob, m, id, "bytes=100-199");
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 100-199/10000", middle.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(DATA, 100, 200), middle.body());

        HttpResponse<byte[]> clamped = client.blob(bob, m, id, "bytes=9990-20000");
        assertEquals("bytes 9990-9999/10000", clamped.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(DATA, 9990, 10_000), clamped.body());

        HttpResponse<byte[]> suffix = client.blob(bob, m, id, "bytes=-10");
        assertEquals(206, suffix.statusCode());
        assertArrayEquals(Arrays.copyOfRange(DATA, 9990, 10_000), suffix.body());

        HttpResponse<byte[]> past = client.blob(bob, m, id, "bytes=10000-");
        assertEquals(416, past.statusCode());
        assertEquals("bytes */10000", past.headers().firstValue("Content-Range").orElseThrow());

        HttpResponse<byte[]> several = client.blob(bob, m, id, "bytes=0-1,5-6");
        assertEquals(200, several.statusCode()); // ignored, as RFC 9110 §14.2 allows
        assertArrayEquals(DATA, several.body());
        assertEquals(200, client.blob(bob, m, id, "bytes=5-1").statusCode());
        assertEquals(200, client.blob(bob, m, id, "pages=1-2").statusCode());
    }

    @Test
    void head_ofBlob_sendsHeadersOnly() {
        String id = completeUpload(alice, DATA);
        String m = send(List.of("bob"), List.of(id));
        HttpResponse<byte[]> h = client.sendForBytes(client.request(Api.MESSAGES + "/" + m + "/blobs/" + id, bob)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, h.statusCode());
        assertEquals(Long.toString(DATA.length), h.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, h.body().length);
    }

    @Test
    void nonRecipientSenderAndWrongPairs_get404() {
        String id = completeUpload(alice, DATA);
        String other = completeUpload(alice, DATA);
        String m = send(List.of("bob"), List.of(id));
        String m2 = send(List.of("bob"), List.of(other));

        assertEquals(404, client.blob(carol, m, id, null).statusCode());
        assertEquals(404, client.blob(alice, m, id, null).statusCode());
        assertEquals(404, client.blob(bob, m, other, null).statusCode()); // a blob of another message
        assertEquals(404, client.blob(bob, m2, id, null).statusCode());
        assertEquals(404, client.blob(bob, m, "AAAAAAAAAAAAAAAAAAAAAA", null).statusCode());
        assertEquals(200, client.blob(bob, m, id, null).statusCode());
    }

    @Test
    void lastAcknowledgement_deletesBlobFiles() {
        String first = completeUpload(alice, DATA);
        String second = completeUpload(alice, new byte[0]);
        String m = send(List.of("bob", "carol"), List.of(first, second, first));
        Path file = dataDir.resolve("uploads").resolve(first);

        assertEquals(0, client.blob(carol, m, second, null).body().length);
        assertEquals(204, client.send(client.request(Api.MESSAGES + "/" + m, bob).DELETE().build()).statusCode());
        assertTrue(Files.exists(file));
        assertEquals(404, client.blob(bob, m, first, null).statusCode());
        assertArrayEquals(DATA, client.blob(carol, m, first, null).body());

        assertEquals(204, client.send(client.request(Api.MESSAGES + "/" + m, carol).DELETE().build()).statusCode());
        assertEquals(404, client.blob(carol, m, first, null).statusCode()); // at once: the rows are gone
        awaitGone(file); // the files follow on the relay's delete thread, after the answer
        awaitGone(dataDir.resolve("uploads").resolve(second));
        awaitGone(dataDir.resolve("blobs").resolve(m));
    }

    private static void awaitGone(Path file) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(file) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertFalse(Files.exists(file), file + " is deleted after the last acknowledgement");
    }

    @Test
    void expiredMessage_isSweptWithItsBlobs() {
        String id = completeUpload(alice, DATA);
        String m = send(List.of("bob"), List.of(id));
        clock.advance(RelayConfig.DEFAULT_MESSAGE_TTL);
        relay.housekeeping();
        assertFalse(Files.exists(dataDir.resolve("uploads").resolve(id)));
        assertFalse(Files.exists(dataDir.resolve("blobs").resolve(m)));
    }

    @Test
    void blobsSurviveRestart() throws IOException {
        String id = completeUpload(alice, DATA);
        String m = send(List.of("bob"), List.of(id));
        restart();
        assertArrayEquals(DATA, client.blob(bob, m, id, "bytes=0-").body());
    }
}
