package dev.sealpost.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LetterTest {
    private static final Instant WHEN = Instant.parse("2026-11-22T10:15:30Z");

    @Test
    void parse_ofToMime_returnsSameLetter() throws IOException {
        byte[] binary = new byte[70_000];
        new Random(7).nextBytes(binary);
        // bytes that look like MIME structure must survive a binary part untouched
        byte[] tricky = "\r\n--boundary\r\n\r\n.\r\nFrom: mallory@sealpost\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tricky, 0, binary, 100, tricky.length);
        Letter letter = Letter.compose("alice", List.of("bob", "carol"), "Grüße", "Hallo Bob, ça va? 🌊\nline two",
                List.of(new Attachment("a.png", "image/png", binary), new Attachment("b.jpg", "image/jpeg", new byte[] {1, 2, 3})),
                WHEN);

        Letter back = Letter.parse(letter.toMime());

        assertEquals("alice", back.from());
        assertEquals(List.of("bob", "carol"), back.to());
        assertEquals(WHEN, back.date());
        assertEquals(letter.messageId(), back.messageId());
        assertEquals("Grüße", back.subject());
        assertEquals(letter.text(), back.text().replace("\r\n", "\n"));
        assertEquals(2, back.attachments().size());
        assertEquals("a.png", back.attachments().get(0).filename());
        assertEquals("image/png", back.attachments().get(0).mediaType());
        assertArrayEquals(binary, back.attachments().get(0).bytes());
        assertArrayEquals(new byte[] {1, 2, 3}, back.attachments().get(1).bytes());
    }

    @Test
    void toMime_marksProtectedHeadersAndBinaryParts() {
        Letter letter = Letter.compose("alice", List.of("bob"), "", "hi",
                List.of(new Attachment("a.bin", "image/png", new byte[] {0, (byte) 0xff})), WHEN);
        String head = new String(letter.toMime(), StandardCharsets.ISO_8859_1);

        assertTrue(head.contains("From: alice@sealpost"), head);
        assertTrue(head.contains("To: bob@sealpost"), head);
        assertTrue(head.contains("Message-ID: <" + letter.messageId() + ">"), head);
        assertTrue(head.contains("hp=\"cipher\""), head);
        assertTrue(head.contains("Content-Transfer-Encoding: binary"), head);
    }

    @Test
    void parse_withoutFrom_fails() {
        byte[] mime = "To: bob@sealpost\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThrows(IOException.class, () -> Letter.parse(mime));
    }

    @Test
    void parse_plainTextEntityFromAnotherTool_readsText() throws IOException {
        byte[] mime = ("From: alice@example.org\r\nTo: bob@example.org\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nhello from openssl\r\n").getBytes(StandardCharsets.US_ASCII);
        Letter l = Letter.parse(mime);
        assertEquals("alice", l.from());
        assertEquals(List.of("bob"), l.to());
        assertTrue(l.text().startsWith("hello from openssl"));
        assertTrue(l.attachments().isEmpty());
    }

    @Test
    void parse_attachmentWithThumbnailAndSize_pairsThemAgain() throws IOException {
        Attachment.Thumbnail thumb = new Attachment.Thumbnail("image/jpeg", new byte[] {7, 7}, 320, 240);
        Letter letter = Letter.compose("alice", List.of("bob"), "", "with preview",
                List.of(new Attachment("big.png", "image/png", new byte[] {1, 2}, 1600, 1200, thumb),
                        new Attachment("plain.png", "image/png", new byte[] {3})), WHEN);

        Letter back = Letter.parse(letter.toMime());

        assertEquals(2, back.attachments().size(), "the thumbnail is not a separate attachment");
        Attachment big = back.attachments().get(0);
        assertEquals(1600, big.width());
        assertEquals(1200, big.height());
        assertArrayEquals(new byte[] {7, 7}, big.thumbnail().bytes());
        assertEquals(320, big.thumbnail().width());
        assertEquals(null, back.attachments().get(1).thumbnail());
    }

    private static BlobRef ref(String name, String type, long size, String id, int seed) {
        byte[] sha = new byte[32];
        byte[] key = new byte[32];
        new Random(seed).nextBytes(sha);
        new Random(seed + 1).nextBytes(key);
        return new BlobRef(name, type, size, id, sha, key);
    }

    @Test
    void parse_ofToMime_keepsBlobReferencesExactly() throws IOException {
        BlobRef video = ref("Ferien/Größe 🌊.mp4", "video/mp4", 4L << 30, "Abc_-123", 1);
        BlobRef scan = ref("scan.dcm", "application/dicom", 0, "#0", 3);
        BlobRef log = new BlobRef("x.log", "text/plain", 5_000_000, "zz", new byte[32], new byte[32], "deflate", 123_456);
        Letter letter = Letter.compose("alice", List.of("bob"), "", "see attached",
                List.of(new Attachment("a.png", "image/png", new byte[] {1})), List.of(video, scan, log), WHEN);

        byte[] mime = letter.toMime();
        Letter back = Letter.parse(mime);

        assertEquals(List.of(video, scan, log), back.blobs());
        assertEquals(1, back.attachments().size());
        assertEquals("see attached", back.text().strip());
        String wire = new String(mime, StandardCharsets.UTF_8);
        assertTrue(wire.contains("message/external-body"), wire);
        assertTrue(wire.contains("access-type=x-sealpost-blob"), wire);
        assertFalse(wire.contains("sha256*"), wire);
    }

    @Test
    void parse_malformedBlobReference_fails() throws IOException {
        String wire = new String(Letter.compose("alice", List.of("bob"), "", "x", List.of(),
                List.of(ref("v.mp4", "video/mp4", 10, "abc", 5)), WHEN).toMime(), StandardCharsets.UTF_8);
        for (String broken : List.of(wire.replaceFirst("sha256=[0-9a-f]{64}", "sha256=00"),
                wire.replaceFirst("size=10", "size=-10"),
                wire.replaceFirst("key=[A-Za-z0-9_-]{43}", "key=short"),
                wire.replaceFirst("blob=\"abc\"", "blob=\"../x\""))) {
            assertNotEquals(wire, broken);
            assertThrows(IOException.class, () -> Letter.parse(broken.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
