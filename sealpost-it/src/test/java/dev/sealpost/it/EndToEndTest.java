package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.Letter;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.RelayProfile;
import dev.sealpost.client.SealpostHome;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.Smime;
import dev.sealpost.media.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** alice, bob and carol on a real relay: real TLS, real SQLite, the real command line. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
    Path root;
    RelayFixture relay;
    Cli.Person alice;
    Cli.Person bob;
    Cli.Person carol;
    Path photo;
    Path diagram;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        root = dir;
        relay = new RelayFixture(root.resolve("relay"));
        alice = relay.join(root, "alice", "rsa");
        bob = relay.join(root, "bob", "p256");
        carol = relay.join(root, "carol", "rsa");
        photo = Files.write(root.resolve("harbour.jpg"), SampleImages.jpeg(640, 480, 90));
        diagram = Files.write(root.resolve("diagram.png"), SampleImages.png(400, 300));
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    @Test
    void send_aliceToBob_bobReceivesVerifiedTextAndImages() throws Exception {
        alice.must("send", "--to", "bob", "-m", "Hello Bob", "--image", photo.toString(), "--image", diagram.toString());
        Path out = root.resolve("bob-out-1");

        Cli.Result r = bob.must("receive", "--out", out.toString());

        String aliceSig = IdentityFiles.readPublic(alice.home().resolve("identity")).signingFingerprint().toString();
        assertTrue(r.out().contains("signature verified: alice " + aliceSig), r.toString());
        assertTrue(r.out().contains("Hello Bob"), r.toString());
        assertArrayEquals(Files.readAllBytes(photo), Files.readAllBytes(out.resolve("harbour.jpg")), "JPEG passes losslessly as its own bytes");
        assertTrue(Files.size(out.resolve("diagram.png")) > 0);
        assertTrue(bob.must("inbox").out().contains("no messages"), "acknowledged messages are gone");
    }

    @Test
    void send_aliceToBobAndCarol_bothReceiveTheSameMessage() {
        alice.must("send", "--to", "bob,carol", "-m", "to both of you", "--image", diagram.toString());

        Cli.Result b = bob.must("receive", "--out", root.resolve("bob-out-2").toString());
        Cli.Result c = carol.must("receive", "--out", root.resolve("carol-out-2").toString());

        assertTrue(b.out().contains("to both of you") && b.out().contains("to bob, carol"), b.toString());
        assertTrue(c.out().contains("to both of you"), c.toString());
        assertTrue(Files.exists(root.resolve("carol-out-2/diagram.png")));
    }

    @Test
    void watch_newMessage_isReceivedWhenPushed() throws Exception {
        Path out = root.resolve("carol-watch");
        CompletableFuture<Cli.Result> watching = CompletableFuture.supplyAsync(
                () -> carol.run("watch", "--count", "1", "--out", out.toString()));
        Thread.sleep(1500);
        assertFalse(watching.isDone(), "watch waits for mail");

        bob.must("send", "--to", "carol", "-m", "pushed to you");

        Cli.Result r = watching.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("pushed to you") && r.out().contains("signature verified: bob"), r.toString());
    }

    @Test
    void receive_hostileAttachmentName_staysInsideOutputFolder() throws Exception {
        // alice's own software is hostile here: it signs a letter whose filename climbs out of the folder
        var me = IdentityFiles.read(alice.home().resolve("identity"), "passphrase of alice".toCharArray());
        Letter letter = Letter.compose("alice", List.of("bob"), "", "look",
                List.of(new Attachment("../../../escaped.png", "image/png", SampleImages.png(8, 8))), Instant.now());
        var bobCerts = IdentityFiles.readPublic(bob.home().resolve("identity"));
        byte[] sealed = Smime.seal(letter.toMime(), me, List.of(bobCerts.encryptionCertificate()));
        client(alice).messages().send(sealed, List.of("bob"), List.of());
        Path out = root.resolve("deep/er/bob-out-3");

        bob.must("receive", "--out", out.toString());

        assertTrue(Files.exists(out.resolve("escaped.png")));
        try (Stream<Path> s = Files.walk(root)) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().equals("escaped.png")).count());
        }
    }

    static RelayClient client(Cli.Person p) throws Exception {
        SealpostHome home = new SealpostHome(p.home());
        RelayProfile profile = RelayProfile.load(home).orElseThrow();
        String token = RelayProfile.Session.load(home).orElseThrow().token();
        return RelayClient.connect(profile.uri(), Fingerprint.parse(profile.fingerprint())).withToken(token);
    }
}
