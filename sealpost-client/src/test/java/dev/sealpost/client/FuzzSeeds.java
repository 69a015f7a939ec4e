package dev.sealpost.client;

import dev.sealpost.crypto.BlobCipher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes the seed corpus of this module's fuzz targets into src/test/resources. Run once by hand
 * from the module folder; the committed files are the corpus:
 * <pre>
 * ./mvnw -o -q -pl sealpost-client -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * cd sealpost-client &amp;&amp; java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.sealpost.client.FuzzSeeds
 * </pre>
 */
final class FuzzSeeds {
    private FuzzSeeds() {}

    public static void main(String[] args) throws Exception {
        Path res = Path.of("src/test/resources/dev/sealpost/client");
        Instant date = Instant.parse("2026-12-06T12:00:00Z");

        Path parse = res.resolve("LetterFuzzTestInputs/parse");
        write(parse.resolve("text-only.eml"), new Letter("alice", List.of("bob"), date, "seed1@sealpost", "hi",
                "The scan from today", List.of(), List.of()).toMime());
        Attachment image = new Attachment("scan.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}, 2, 3,
                null).withThumbnail(new Attachment.Thumbnail("image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, 9}, 1, 1));
        BlobRef video = new BlobRef("clips/2026/a.mp4", "video/mp4", 5_000_000, "u_AbC-123", filled(32, 1), filled(32, 2));
        BlobRef log = new BlobRef("#0.log", "text/plain", 9_000_000, "#0", filled(32, 3), filled(32, 4), Deflate.DEFLATE, 1_000_000);
        write(parse.resolve("attachments-and-blobs.eml"), new Letter("alice", List.of("bob", "carol"), date, "seed2@sealpost",
                "Sub ject ü", "text\nwith lines", List.of(image, new Attachment("../../.bashrc", "text/plain", "x".getBytes(StandardCharsets.UTF_8))),
                List.of(video, log)).toMime());
        write(parse.resolve("hand-written.eml"), ("From: alice <alice@sealpost>\r\nTo: bob@sealpost\r\n"
                + "Date: Sun, 6 Dec 2026 12:00:00 +0000\r\nMessage-ID: <x@y>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + "--b\r\nContent-Type: message/external-body; access-type=x-sealpost-blob; blob=\"#1\"; size=10;"
                + " sha256=" + "ab".repeat(32) + "; key=" + "A".repeat(43) + "\r\n\r\nContent-Type: text/plain\r\n"
                + "Content-Disposition: attachment; filename=\"big.txt\"\r\n\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8));

        Path bundle = res.resolve("BundleFuzzTestInputs/openAndCheck");
        byte[] message = filled(200, 7);
        byte[] blob = filled((int) BlobCipher.ciphertextSize(100), 9);
        // references are read from the end: n, then per reference "in order" and a 3-byte size, most significant byte last
        write(bundle.resolve("one-blob"), concat(bundleFile(List.of(blob), message), new byte[] {100, 0, 0, 1, 1}));
        write(bundle.resolve("two-blobs"), concat(bundleFile(List.of(blob, blob), message),
                new byte[] {100, 0, 0, 1, 100, 0, 0, 1, 2}));
        write(bundle.resolve("no-blobs"), concat(bundleFile(List.of(), message), new byte[] {0}));
        write(bundle.resolve("size-mismatch"), concat(bundleFile(List.of(blob), message), new byte[] {99, 0, 0, 1, 1}));
        byte[] bad = bundleFile(List.of(), message);
        bad[bad.length - 20] ^= 1;
        write(bundle.resolve("bad-trailer"), concat(bad, new byte[] {0}));

        Path names = res.resolve("SafeNamesFuzzTestInputs/names");
        String[] samples = {"scan.png", "../../.bashrc", "a/b\\c/../d.txt", "CON.txt", " .hidden. ", "ünïcödé 写真.jpg",
                "x".repeat(300) + ".tar.gz", "bad\u0000name\u202e.exe", "scans/2026/ct-01.dcm", "//", "..", ""};
        for (int i = 0; i < samples.length; i++) {
            write(names.resolve("name-" + i), samples[i].getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] bundleFile(List<byte[]> blobs, byte[] message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("SEALPOST-BUNDLE1".getBytes(StandardCharsets.US_ASCII));
        for (byte[] b : blobs) {
            out.write(b);
        }
        out.write(message);
        out.write(ByteBuffer.allocate(8).putLong(message.length).array());
        out.write("SEALPOST-BUNDLE1".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
