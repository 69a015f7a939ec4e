package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.Suite;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.relay.RelayConfig;
import dev.sealpost.relay.RelayServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both pipelines through the relay: {@link OutgoingPipeline} with a {@link RelayDestination},
 * {@link RelayInbox} with the incoming pipeline, against a real relay on port 0 over real TLS;
 * and cancellation, which must deliver nothing and leave the upload resumable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayPipelineTest {
    private static final char[] PASSWORD = "correct horse battery".toCharArray();
    /** Files above this travel as streamed files, in bytes. */
    private static final long INLINE_LIMIT = 64 * 1024;

    @TempDir
    static Path dir;
    RelayServer server;
    Person alice;
    Person bob;

    record Person(Identity id, SealpostHome home, RelayClient relay, List<String> notices) {
        PinnedKeys keys() throws IOException {
            return new PinnedKeys(id, Contacts.load(home), relay.accounts(), notices::add);
        }

        RelayInbox inbox() throws IOException {
            return new RelayInbox(relay, home, new IncomingPipeline(id), keys(), Clock.systemUTC(), notices::add);
        }

        Sent send(List<String> to, Draft draft, Progress progress) throws IOException, GeneralSecurityException {
            try (RelayDestination destination = new RelayDestination(relay, home, notices::add)) {
                return new OutgoingPipeline(id, Clock.systemUTC(), INLINE_LIMIT).send(keys().recipients(to), draft, destination, progress);
            }
        }
    }

    @BeforeAll
    void start() throws IOException {
        server = RelayServer.start(RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(0));
        alice = person(server, "alice");
        bob = person(server, "bob");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static Person person(RelayServer relay, String name) throws IOException {
        Identity id = Identity.generate(name, Suite.P256);
        RelayClient c = RelayClient.connect(relay.uri(), relay.certificateFingerprint());
        c.accounts().register(name, PASSWORD);
        RelayClient authed = c.withToken(c.accounts().login(name, PASSWORD).token());
        authed.accounts().publishKeys(new KeyBundle(name, Pem.encodeCertificate(id.signingCertificate()),
                Pem.encodeCertificate(id.encryptionCertificate())));
        return new Person(id, new SealpostHome(dir.resolve(relay.port() + "-" + name)), authed, new ArrayList<>());
    }

    private OutgoingFile file(String name, int size, boolean compressible) throws IOException {
        byte[] b = new byte[size];
        if (compressible) {
            for (int i = 0; i < size; i++) {
                b[i] = (byte) "sealpost text, again and again\n".charAt(i % 31);
            }
        } else {
            new Random(size).nextBytes(b);
        }
        return OutgoingFile.of(Files.write(dir.resolve(name), b), name);
    }

    @Test
    void sendThenReceive_inlineAndStreamedFiles_arriveExactly_andTheUploadJournalIsEmptied() throws Exception {
        OutgoingFile small = file("small.bin", 1000, false);
        OutgoingFile big = file("big.bin", 3 << 20, false);
        OutgoingFile text = file("notes.txt", 2 << 20, true);
        Sent sent = alice.send(List.of("bob"), new Draft("s", "hello", List.of(), List.of(small, big, text)), Progress.NONE);
        assertEquals(List.of("bob"), sent.recipients());
        assertEquals(2, sent.streamedFiles());
        assertEquals(big.size() + text.size(), sent.streamedBytes());
        assertTrue(sent.letter().blobs().get(1).compressed(), "text is deflated before encryption");
        assertTrue(alice.notices().stream().anyMatch(n -> n.startsWith("pinned bob on first use")), alice.notices().toString());
        assertEquals(List.of(), list(alice.home().uploadsDir()), "journal entries go once the message is posted");

        RelayInbox inbox = bob.inbox();
        MessageSummary m = inbox.list().get(0);
        Received r = inbox.receive(m, dir.resolve("out"), RelayInbox.DEFAULT_MAX_BYTES, Progress.NONE);
        assertEquals("alice", r.opened().signer());
        assertEquals("hello", r.opened().letter().text());
        assertTrue(r.acknowledged());
        assertEquals(3, r.saved().size());
        for (OutgoingFile f : List.of(small, big, text)) {
            assertArrayEquals(Files.readAllBytes(f.path()), Files.readAllBytes(dir.resolve("out").resolve(f.name())), f.name());
        }
        assertEquals(List.of(), list(bob.home().downloadsDir()), "partial downloads go once the files have their names");
        assertTrue(inbox.list().isEmpty(), "acknowledged");
    }

    @Test
    void cancelledSend_deliversNothing_andTheSameSendAgainResumesItsUpload() throws Exception {
        OutgoingFile big = file("cancel.bin", 6 << 20, false);
        Draft draft = new Draft("", "", List.of(), List.of(big));
        Cancellation cancel = new Cancellation();
        long[] highest = new long[1];
        Progress cancelAfterTwoMiB = (label, total) -> new Progress.Task() {
            @Override
            public void update(long done) {
                highest[0] = Math.max(highest[0], done);
                if (done >= 2 << 20) {
                    cancel.cancel();
                }
            }

            @Override
            public void close() {}
        };
        assertThrows(Cancellation.Cancelled.class, () -> alice.send(List.of("bob"), draft, cancel.guard(cancelAfterTwoMiB)));
        assertTrue(bob.inbox().list().isEmpty(), "nothing delivered");
        UploadJournal journal = new UploadJournal(alice.home());
        String uploadId = journal.find(journal.slot(alice.relay().base(), big)).orElseThrow().uploadId();

        Sent sent = alice.send(List.of("bob"), draft, Progress.NONE);
        assertEquals(uploadId, sent.letter().blobs().get(0).blobId(), "the same upload went on, not a new one");
        Received r = bob.inbox().receive(bob.inbox().list().get(0), dir.resolve("out2"), RelayInbox.DEFAULT_MAX_BYTES, Progress.NONE);
        assertEquals(sent.letter().messageId(), r.opened().letter().messageId());
        assertArrayEquals(Files.readAllBytes(big.path()), Files.readAllBytes(dir.resolve("out2/cancel.bin")));
    }

    @Test
    void theSameDraft_toAFileAndToTheRelay_givesTheSameLetterShape() throws Exception {
        OutgoingFile big = file("shape.bin", 200_000, false);
        Draft draft = new Draft("subject", "text", List.of(), List.of(big));
        SealedFile sealed;
        try (FileDestination destination = new FileDestination(dir.resolve("shape.sp"))) {
            sealed = new OutgoingPipeline(alice.id(), Clock.systemUTC(), INLINE_LIMIT).send(
                    alice.keys().recipients(List.of("bob")), draft, destination, Progress.NONE);
        }
        Sent sent = alice.send(List.of("bob"), draft, Progress.NONE);
        assertEquals("#0", sealed.letter().blobs().get(0).blobId());
        assertEquals(sealed.letter().blobs().get(0).size(), sent.letter().blobs().get(0).size());
        assertEquals(sealed.letter().to(), sent.letter().to());
        assertEquals(1, sealed.streamedFiles());
        bob.inbox().receive(bob.inbox().list().get(0), dir.resolve("out3"), RelayInbox.DEFAULT_MAX_BYTES, Progress.NONE);
    }

    @Test
    void watch_handsOverWaitingAndNewMailOnce_untilCancelled() throws Exception {
        String waiting = alice.send(List.of("bob"), new Draft("", "sent before the watch", List.of(), List.of()), Progress.NONE).messageId();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Cancellation stop = new Cancellation();
        RelayInbox inbox = bob.inbox();
        java.util.concurrent.CompletableFuture<Throwable> watching = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                inbox.watch(new RelayInbox.WatchListener() {
                    @Override
                    public boolean message(MessageSummary m) {
                        seen.add(m.id());
                        try {
                            inbox.receive(m, dir.resolve("watched"), RelayInbox.DEFAULT_MAX_BYTES, Progress.NONE);
                        } catch (IOException | GeneralSecurityException e) {
                            throw new AssertionError(e);
                        }
                        if (seen.size() == 2) {
                            stop.cancel();
                            stop.check();
                        }
                        return true;
                    }

                    @Override
                    public void reconnecting(dev.sealpost.client.relay.RelayException.Unreachable cause, long delaySeconds) {
                        seen.add("reconnecting: " + cause.getMessage());
                    }
                }, stop);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        for (int i = 0; i < 100 && seen.isEmpty(); i++) {
            Thread.sleep(50);
        }
        String fresh = alice.send(List.of("bob"), new Draft("", "sent during the watch", List.of(), List.of()), Progress.NONE).messageId();
        Throwable end = watching.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(end instanceof Cancellation.Cancelled, "ended with " + end);
        assertEquals(List.of(waiting, fresh), seen);
        assertTrue(inbox.list().isEmpty());
    }

    @Test
    void rateLimitedUploads_waitAsTheRelayAsks_insteadOfFailingHalfWay() throws Exception {
        // 2 uploads at once, then one more every 2 s: the 4 streamed files below need two waits
        try (RelayServer limited = RelayServer.start(RelayConfig.defaults(dir.resolve("limited")).withHost("127.0.0.1").withPort(0)
                .withRateLimit(dev.sealpost.relay.RateLimit.UPLOAD, new dev.sealpost.relay.RateLimit.Limit(2, java.time.Duration.ofSeconds(4))))) {
            Person carol = person(limited, "carol");
            Person dave = person(limited, "dave");
            List<OutgoingFile> files = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                files.add(file("limited-" + i + ".bin", 100_000 + i, false));
            }
            Sent sent = carol.send(List.of("dave"), new Draft("", "four files", List.of(), files), Progress.NONE);
            assertEquals(4, sent.streamedFiles());
            assertTrue(carol.notices().stream().anyMatch(n -> n.startsWith("the relay is rate-limiting")), carol.notices().toString());
            Received r = dave.inbox().receive(dave.inbox().list().get(0), dir.resolve("out-limited"), RelayInbox.DEFAULT_MAX_BYTES,
                    Progress.NONE);
            assertEquals(4, r.saved().size());
        }
    }

    private static List<Path> list(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}
