package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.media.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input: one line on stderr, a non-zero exit, no stack trace, nothing sent or written. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    Path root;
    RelayFixture relay;
    Cli.Person alice;
    Cli.Person bob;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        root = dir;
        relay = new RelayFixture(root.resolve("relay"), c -> c.withMaxMessageBytes(256 * 1024));
        alice = relay.join(root, "alice", "p256");
        bob = relay.join(root, "bob", "p256");
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private static void assertOneLineFailure(Cli.Result r, int code, String fragment) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), "exactly one line: " + r);
        assertTrue(r.err().startsWith("sealpost: "), r.toString());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r);
        assertFalse(r.err().contains("Exception"), r.toString());
    }

    private void assertNothingSent() throws Exception {
        assertTrue(EndToEndTest.client(bob).messages().inbox().isEmpty(), "nothing reached the relay");
    }

    @Test
    void send_missingImage_failsNamingTheFile() throws Exception {
        Cli.Result r = alice.run("send", "--to", "bob", "-m", "x", "--image", root.resolve("nope.png").toString());
        assertOneLineFailure(r, 1, "nope.png");
        assertNothingSent();
    }

    @Test
    void send_textFileAsImage_failsNotAnImage() throws Exception {
        Path fake = Files.writeString(root.resolve("notes.png"), "just some text, not a picture\n".repeat(4));
        Cli.Result r = alice.run("send", "--to", "bob", "-m", "x", "--image", fake.toString());
        assertOneLineFailure(r, 1, "not an image");
        assertNothingSent();
    }

    @Test
    void send_imageOverPixelLimit_refusedBeforeDecoding() throws Exception {
        Path png = Files.write(root.resolve("wide.png"), SampleImages.png(400, 300));
        Cli.Result r = alice.run("send", "--to", "bob", "-m", "x", "--max-pixels", "100000", "--image", png.toString());
        assertOneLineFailure(r, 1, "exceeds");
        assertNothingSent();
    }

    @Test
    void send_unknownRecipient_failsNamingIt() throws Exception {
        Cli.Result r = alice.run("send", "--to", "mallory", "-m", "x");
        assertOneLineFailure(r, 4, "unknown recipient: mallory");
    }

    @Test
    void send_oversizedMessage_refusedWith413AndNothingStored() throws Exception {
        // random pixels do not compress: a PNG well over the relay's 256 KiB limit
        Path big = Files.write(root.resolve("noise.png"), noisePng(512, 512));
        Cli.Result r = alice.run("send", "--to", "bob", "-m", "x", "--image", big.toString());
        assertOneLineFailure(r, 4, "too large");
        assertNothingSent();
    }

    @Test
    void inbox_relayDown_failsCannotReach() throws Exception {
        try (RelayFixture other = new RelayFixture(root.resolve("short-lived"))) {
            Cli.Person carol = other.join(root, "carol", "p256");
            other.close();
            Cli.Result r = carol.run("inbox");
            assertOneLineFailure(r, 4, "cannot reach relay");
        }
    }

    @Test
    void receive_notLoggedIn_failsWithHint() {
        Cli.Person dave = Cli.Person.at(root, "dave");
        dave.must("init", "--name", "dave", "--suite", "p256");
        assertOneLineFailure(dave.run("inbox"), 2, "sealpost register");
    }

    @Test
    void init_nameWithSlash_failsBeforeWritingAnything() {
        Cli.Person eve = Cli.Person.at(root, "eve");
        assertOneLineFailure(eve.run("init", "--name", "../eve"), 1, "invalid name");
        assertFalse(Files.exists(eve.home().resolve("identity")));
    }

    @Test
    void open_truncatedFile_failsAndWritesNothing() throws Exception {
        Path sealed = root.resolve("m.p7m");
        bob.must("export", "--certs", root.resolve("bob-certs").toString());
        alice.must("seal", "--to", root.resolve("bob-certs/bob-enc-cert.pem").toString(), "-m", "offline", "--image", Files.write(root.resolve("s.png"),
                SampleImages.png(50, 50)).toString(), "-o", sealed.toString());
        byte[] all = Files.readAllBytes(sealed);
        Path cut = Files.write(root.resolve("cut.p7m"), java.util.Arrays.copyOf(all, all.length / 2));
        Path out = root.resolve("open-out");
        Cli.Result r = bob.run("open", cut.toString(), "--out", out.toString());
        assertTrue(r.code() != 0, r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertFalse(Files.exists(out));
    }

    static byte[] noisePng(int w, int h) throws java.io.IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Random r = new Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
