package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.media.SampleImages;
import dev.sealpost.protocol.MessageSummary;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile relay, or another account, can do to a message: each is refused and nothing is written. */
class TamperingTest {
    @TempDir Path root;
    RelayFixture relay;
    Cli.Person alice;
    Cli.Person bob;
    Cli.Person carol;
    Path image;

    @BeforeEach
    void start() throws Exception {
        relay = new RelayFixture(root.resolve("relay"));
        alice = relay.join(root, "alice", "p256");
        bob = relay.join(root, "bob", "p256");
        carol = relay.join(root, "carol", "p256");
        image = Files.write(root.resolve("scan.png"), SampleImages.png(200, 200));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void receive_byteFlippedOnRelayDisk_failsAndWritesNothing() throws Exception {
        alice.must("send", "--to", "bob", "-m", "secret scan", "--image", image.toString());
        Path stored = onlyStoredMessage();
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x40);
        }
        Path out = root.resolve("bob-out");

        Cli.Result r = bob.run("receive", "--out", out.toString());

        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("refused"), r.toString());
        assertFalse(r.out().contains("secret scan"), r.toString());
        assertFalse(Files.exists(out), "nothing written under --out");
        assertEquals(1, EndToEndTest.client(bob).messages().inbox().size(), "a refused message stays on the relay");
    }

    @Test
    void fetch_byNonRecipient_isNotFoundAndInboxEmpty() throws Exception {
        alice.must("send", "--to", "bob", "-m", "only for bob");
        String id = EndToEndTest.client(bob).messages().inbox().get(0).id();
        RelayClient carolClient = EndToEndTest.client(carol);

        assertTrue(carolClient.messages().inbox().isEmpty());
        RelayException.Refused e = assertThrows(RelayException.Refused.class, () -> carolClient.messages().fetch(id, 1 << 20));
        assertEquals(404, e.status());
        assertThrows(RelayException.class, () -> carolClient.messages().acknowledge(id));
        assertEquals(1, EndToEndTest.client(bob).messages().inbox().size(), "carol's acknowledge did not delete bob's message");
    }

    @Test
    void receive_replayedMessage_isRefused() throws Exception {
        alice.must("send", "--to", "bob", "-m", "pay 10 EUR");
        RelayClient bobClient = EndToEndTest.client(bob);
        MessageSummary m = bobClient.messages().inbox().get(0);
        byte[] sealed = bobClient.messages().fetch(m.id(), 1 << 20);
        bob.must("receive", "--out", root.resolve("first").toString());
        // the relay (here: alice's account re-posting the same bytes) delivers it a second time
        EndToEndTest.client(alice).messages().send(sealed, List.of("bob"), List.of());

        Cli.Result r = bob.run("receive", "--out", root.resolve("second").toString());

        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("already received"), r.toString());
        assertFalse(r.out().contains("pay 10 EUR"), r.toString());
        assertTrue(Files.notExists(root.resolve("second")), "nothing saved again");
        assertTrue(bobClient.messages().inbox().isEmpty(), "the duplicate is acknowledged, so it cannot block later receives");
    }

    @Test
    void receive_messageForwardedByAnotherAccount_isRefused() throws Exception {
        alice.must("send", "--to", "bob,carol", "-m", "from alice");
        byte[] sealed = EndToEndTest.client(carol).messages().fetch(EndToEndTest.client(carol).messages().inbox().get(0).id(), 1 << 20);
        RelayClient bobClient = EndToEndTest.client(bob);
        bobClient.messages().acknowledge(bobClient.messages().inbox().get(0).id());
        // carol re-sends alice's signed message to bob as if it were hers
        EndToEndTest.client(carol).messages().send(sealed, List.of("bob"), List.of());

        Cli.Result r = bob.run("receive", "--out", root.resolve("forwarded").toString());

        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("from carol refused"), r.toString());
        assertFalse(r.out().contains("from alice"), r.toString());
    }

    /** The one sealed message on the relay's disk (its folder for them is still named {@code blobs/}). */
    private Path onlyStoredMessage() throws Exception {
        try (Stream<Path> s = Files.walk(relay.dir.resolve("blobs"))) {
            List<Path> files = s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
            assertEquals(1, files.size(), files.toString());
            return files.get(0);
        }
    }
}
