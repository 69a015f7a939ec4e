package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.media.SampleImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Images in batches: folders, inbox previews from inside the envelope, compress without sending. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFlowTest {
    Path root;
    RelayFixture relay;
    Cli.Person alice;
    Cli.Person bob;
    Path album;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        root = dir;
        relay = new RelayFixture(root.resolve("relay"));
        alice = relay.join(root, "alice", "p256");
        bob = relay.join(root, "bob", "p256");
        album = Files.createDirectories(root.resolve("album/sub"));
        Files.write(root.resolve("album/b-diagram.png"), SampleImages.png(64, 48));
        Files.write(root.resolve("album/sub/a-photo.jpg"), SampleImages.jpeg(80, 60, 90));
        Files.writeString(root.resolve("album/notes.txt"), "not an image");
        Files.write(root.resolve("album/.hidden.png"), SampleImages.png(8, 8));
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    @Test
    void send_folder_attachesItsImagesAndInboxPreviewsThem() {
        Cli.Result sent = alice.must("send", "--to", "bob", "-s", "Album", "-m", "The whole folder", "--image",
                root.resolve("album").toString());
        assertTrue(sent.out().contains("skipped 1 file"), sent.toString());

        Cli.Result inbox = bob.must("inbox");
        assertTrue(inbox.out().contains("[Album] The whole folder"), inbox.toString());
        assertTrue(inbox.out().contains("2 files: b-diagram.png 64x48") && inbox.out().contains("a-photo.jpg 80x60"),
                inbox.toString());

        Cli.Result plain = bob.with("SEALPOST_PASSPHRASE", "").run("inbox", "--no-decrypt");
        assertEquals(0, plain.code(), plain.toString());
        assertFalse(plain.out().contains("The whole folder"), "the relay alone knows no content: " + plain);

        Path out = root.resolve("bob-album");
        bob.must("receive", "--out", out.toString());
        assertTrue(Files.exists(out.resolve("b-diagram.png")) && Files.exists(out.resolve("a-photo.jpg")));
        assertFalse(Files.exists(out.resolve("hidden.png")));
    }

    @Test
    void compress_writesWhatSendWouldAttachAndTotals() throws Exception {
        Path out = root.resolve("compressed");
        Cli.Result r = alice.must("compress", "--mode", "jpeg:70", root.resolve("album").toString(), "--out", out.toString());
        Cli.Result plain = alice.must("compress", root.resolve("album/b-diagram.png").toString(), "--out", root.resolve("c2").toString());
        assertTrue(plain.out().contains("1 image: "), "defaults apply when no option is given: " + plain);
        assertTrue(r.out().contains("2 images: "), r.toString());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(2, s.filter(p -> p.toString().endsWith(".jpg")).count());
        }
    }

    @Test
    void send_jpegWithComment_stripsItUnlessKeepMetadata() throws Exception {
        byte[] jpeg = SampleImages.jpeg(64, 64, 90);
        byte[] secret = "camera serial SECRET-4711".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        // a COM segment (JPEG marker 0xFFFE) right after SOI
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(jpeg, 0, 2);
        b.write(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, (byte) (secret.length + 2)});
        b.write(secret);
        b.write(jpeg, 2, jpeg.length - 2);
        Path tagged = Files.write(root.resolve("tagged.jpg"), b.toByteArray());

        Cli.Result sent = alice.must("send", "--to", "bob", "-m", "stripped", "--image", tagged.toString());
        assertTrue(sent.out().contains("removed"), sent.toString());
        Path out = root.resolve("strip-out");
        bob.must("receive", "--out", out.toString());
        String received = new String(Files.readAllBytes(out.resolve("tagged.jpg")), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(received.contains("SECRET-4711"), "comment removed");

        Cli.Result kept = alice.must("send", "--to", "bob", "-m", "kept", "--keep-metadata", "--image", tagged.toString());
        assertTrue(kept.out().contains("warning"), kept.toString());
        Path out2 = root.resolve("keep-out");
        bob.must("receive", "--out", out2.toString());
        assertArrayEquals(b.toByteArray(), Files.readAllBytes(out2.resolve("tagged.jpg")));
    }

    @Test
    void receive_thumbnailsOnly_savesPreviewsAndLeavesMessage() throws Exception {
        Path photo = Files.write(root.resolve("wide.jpg"), SampleImages.jpeg(1280, 640, 85));
        alice.must("send", "--to", "bob", "-m", "thumbs", "--image", photo.toString());
        Path out = root.resolve("thumbs");

        Cli.Result r = bob.must("receive", "--thumbnails-only", "--out", out.toString());

        assertTrue(r.out().contains("thumbnail"), r.toString());
        java.awt.image.BufferedImage t = javax.imageio.ImageIO.read(out.resolve("wide.thumb.jpg").toFile());
        assertEquals(320, t.getWidth());
        assertEquals(160, t.getHeight());
        assertEquals(1, EndToEndTest.client(bob).messages().inbox().size(), "the message itself is still waiting");
        bob.must("receive", "--out", root.resolve("thumbs-full").toString());
    }

    @Test
    void send_maxSize_downscalesBeforeSealing() throws Exception {
        Path big = Files.write(root.resolve("big.png"), SampleImages.png(1000, 500));
        alice.must("send", "--to", "bob", "-m", "small please", "--max-size", "200", "--image", big.toString());
        Path out = root.resolve("max-out");
        bob.must("receive", "--out", out.toString());
        java.awt.image.BufferedImage got = javax.imageio.ImageIO.read(out.resolve("big.png").toFile());
        assertEquals(200, got.getWidth());
        assertEquals(100, got.getHeight());
    }
}
