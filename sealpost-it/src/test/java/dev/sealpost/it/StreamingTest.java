package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of any size through a real relay: blobs above the inline bound, folders, tampering on
 * the relay, and uploads and downloads resumed after the client process was killed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingTest {
    static final int SEGMENT = 1 << 20;
    Path root;
    RelayFixture relay;
    Cli.Person alice;
    Cli.Person bob;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        root = dir;
        relay = new RelayFixture(root.resolve("relay"));
        alice = relay.join(root, "alice", "p256");
        bob = relay.join(root, "bob", "p256");
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    private Path random(String name, long size, long seed) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long left = size; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(left, buf.length));
            }
        }
        return p;
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void send_filesAroundInlineBound_arriveByteIdentical() throws Exception {
        int limit = 3 * SEGMENT + 12_345;
        List<Path> sent = List.of(random("bound/below.bin", limit - 1, 1), random("bound/exact.bin", limit, 2),
                random("bound/above.bin", limit + 1, 3), random("bound/empty.bin", 0, 4),
                random("bound/five-segments.bin", 5L * SEGMENT + 77, 5));
        List<String> args = new ArrayList<>(List.of("send", "--to", "bob", "-m", "around the bound",
                "--inline-limit", Integer.toString(limit)));
        for (Path p : sent) {
            args.add("--file");
            args.add(p.toString());
        }
        Cli.Result r = alice.must(args.toArray(String[]::new));
        assertTrue(r.out().contains("in 2 streamed files"), r.toString()); // above.bin and five-segments.bin

        Path out = root.resolve("bob-bound");
        bob.must("receive", "--out", out.toString());
        for (Path p : sent) {
            assertEquals(sha256(p), sha256(out.resolve(p.getFileName())), p.toString());
        }
    }

    @Test
    void send_folder_keepsRelativePaths() throws Exception {
        Path a = random("scans/study/a.dcm", 2 * SEGMENT, 11);
        Path b = random("scans/study/series-2/b.dcm", 100, 12);
        Path c = random("scans/c.txt", 10, 13);
        alice.must("send", "--to", "bob", "--file", root.resolve("scans").toString(), "--inline-limit", "1000");
        Cli.Result inbox = bob.must("inbox");
        assertTrue(inbox.out().contains("3 files: ") && inbox.out().contains("scans/study/series-2/b.dcm 100 bytes")
                && inbox.out().contains("scans/study/a.dcm 2,097,152 bytes (streamed)"), inbox.toString());
        Path out = root.resolve("bob-folder");
        bob.must("receive", "--out", out.toString());
        assertEquals(sha256(a), sha256(out.resolve("scans/study/a.dcm")));
        assertEquals(sha256(b), sha256(out.resolve("scans/study/series-2/b.dcm")));
        assertEquals(sha256(c), sha256(out.resolve("scans/c.txt")));
        assertEquals(3, files(out).size());
    }

    @Test
    void relay_storesOnlyCiphertext_andTamperedBlobIsRefusedWithNothingSaved() throws Exception {
        byte[] marker = "PLAINTEXT-MARKER-0123456789-sealpost".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path file = random("marked.bin", 3L * SEGMENT, 21);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (long at = 0; at + marker.length < f.length(); at += 64 * 1024) {
                f.seek(at);
                f.write(marker);
            }
        }
        alice.must("send", "--to", "bob", "--file", file.toString(), "--inline-limit", "0");
        List<Path> stored = files(relay.dir);
        byte[] needle = marker;
        Path blob = null;
        for (Path p : stored) {
            byte[] all;
            try {
                all = Files.readAllBytes(p);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue; // an acknowledged message's file, deleted after the relay answered
            }
            assertFalse(contains(all, needle), "relay file " + p + " holds plaintext");
            if (all.length == dev.sealpost.crypto.BlobCipher.ciphertextSize(3L * SEGMENT)) {
                blob = p;
            }
        }
        assertTrue(blob != null, "the relay holds the blob: " + stored);

        // flip one bit in the second segment of the stored ciphertext
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(SEGMENT + 100);
            int x = f.read();
            f.seek(SEGMENT + 100);
            f.write(x ^ 0x80);
        }
        Path out = root.resolve("bob-tampered");
        Cli.Result r = bob.run("receive", "--out", out.toString());
        assertNotEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("refused"), r.toString());
        assertEquals(List.of(), files(out));
        assertFalse(bob.must("inbox").out().contains("no messages"), "the message stays on the relay");
        // restore the bit: the same receive now succeeds (the bad download was discarded)
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(SEGMENT + 100);
            int x = f.read();
            f.seek(SEGMENT + 100);
            f.write(x ^ 0x80);
        }
        bob.must("receive", "--out", out.toString());
        assertEquals(sha256(file), sha256(out.resolve("marked.bin")));
    }

    @Test
    void wrongPassphrase_streamedSendAndSeal_failWithNothingDeliveredOrWritten() throws Exception {
        // The signing key decrypts in the background while the file is encrypted and uploaded;
        // a wrong passphrase must still end the command with the usual message and no result.
        Cli.Person carol = relay.join(root, "carol", "p256");
        Cli.Person dave = relay.join(root, "dave", "p256"); // a sender of its own: its upload journal is its own
        Path certs = root.resolve("wrong-pass-certs");
        carol.must("export", "--certs", certs.toString());
        dave.must("export", "--certs", certs.toString());
        Path file = random("wrong-pass.bin", 6L * SEGMENT + 5, 31);
        Cli.Person mallory = dave.with("SEALPOST_PASSPHRASE", "not dave's passphrase");
        Cli.Result sent = mallory.run("send", "--to", "carol", "--file", file.toString(), "--inline-limit", "0");
        assertEquals(3, sent.code(), sent.toString());
        assertTrue(sent.err().contains("wrong passphrase"), sent.toString());
        assertTrue(carol.must("inbox").out().contains("no messages"), "nothing was delivered");

        Path sealed = root.resolve("wrong-pass.sealed");
        String cert = certs.resolve("carol-enc-cert.pem").toString();
        Cli.Result r = mallory.run("seal", "--to", cert, "--file", file.toString(), "--inline-limit", "0", "-o", sealed.toString());
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("wrong passphrase"), r.toString());
        assertFalse(Files.exists(sealed));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".wrong-pass.sealed")).toList(),
                    "no temporary file is left");
        }
        // the same commands with the right passphrase work
        dave.must("seal", "--to", cert, "--file", file.toString(), "--inline-limit", "0", "-o", sealed.toString());
        Path opened = root.resolve("wrong-pass-opened");
        carol.must("open", sealed.toString(), "--from", certs.resolve("dave-sig-cert.pem").toString(), "--out", opened.toString());
        assertEquals(sha256(file), sha256(opened.resolve("wrong-pass.bin")));
        dave.must("send", "--to", "carol", "--file", file.toString(), "--inline-limit", "0");
        Path received = root.resolve("wrong-pass-received");
        carol.must("receive", "--out", received.toString());
        assertEquals(sha256(file), sha256(received.resolve("wrong-pass.bin")));
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Runs sealpost as a separate JVM (so it can be killed), with the person's environment. */
    private Process spawn(Cli.Person p, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.sealpost.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(root.resolve(p.name() + "-spawned.log").toFile());
        pb.environment().putAll(p.env());
        return pb.start();
    }

    private static void killWhen(Process proc, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(proc.isAlive(), "the process ended before it could be killed");
            assertTrue(System.nanoTime() < deadline, "timed out waiting to kill");
            Thread.sleep(5);
        }
        proc.destroyForcibly().waitFor();
    }

    private long largestUploadFile() throws IOException {
        long max = 0;
        for (Path p : files(relay.dir)) {
            if (p.toString().contains("upload")) {
                max = Math.max(max, Files.size(p));
            }
        }
        return max;
    }

    @Test
    void send_killedTwiceDuringUpload_resumesAndArrivesByteIdentical() throws Exception {
        long size = 256L * SEGMENT;
        Path big = random("resume/upload.bin", size, 31);
        String[] send = {"send", "--to", "bob", "-m", "resumed", "--file", big.toString()};
        // first kill early, second kill further on: each run continues where the relay's durable offset is
        for (long at : new long[] {size / 5, size / 2}) {
            Process p = spawn(alice, send);
            killWhen(p, () -> {
                try {
                    return largestUploadFile() >= at;
                } catch (IOException e) {
                    return false;
                }
            });
        }
        Cli.Result r = alice.must(send);
        assertTrue(r.out().contains("resuming upload of upload.bin at byte"), r.toString());
        String resumedAt = r.out().replaceAll("(?s).*resuming upload of upload.bin at byte ([0-9,]+) .*", "$1").replace(",", "");
        assertTrue(Long.parseLong(resumedAt) > 0, r.toString());

        Path out = root.resolve("bob-resumed-upload");
        bob.must("receive", "--out", out.toString());
        assertEquals(sha256(big), sha256(out.resolve("upload.bin")));
        try (Stream<Path> s = Files.list(alice.home().resolve("uploads"))) {
            assertEquals(0, s.count(), "the upload journal is cleared once the message is sent");
        }
    }

    @Test
    void receive_killedDuringDownload_resumesAndSavesByteIdentical() throws Exception {
        long size = 256L * SEGMENT;
        Path big = random("resume/download.bin", size, 41);
        alice.must("send", "--to", "bob", "--file", big.toString());
        Path out = root.resolve("bob-resumed-download");
        Path spool = bob.home().resolve("downloads");
        Process p = spawn(bob, "receive", "--out", out.toString());
        killWhen(p, () -> {
            try (Stream<Path> s = Files.exists(spool) ? Files.list(spool) : Stream.empty()) {
                return s.anyMatch(f -> f.toFile().length() > size / 3);
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(List.of(), files(out), "nothing under --out before the file verified");

        Cli.Result r = bob.must("receive", "--out", out.toString());
        assertTrue(r.out().contains("resuming download of download.bin at byte"), r.toString());
        assertEquals(sha256(big), sha256(out.resolve("download.bin")));
        try (Stream<Path> s = Files.list(spool)) {
            assertEquals(0, s.count(), "the partial download is removed once saved");
        }
    }
}
