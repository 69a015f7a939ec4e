package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress bars of {@code seal}, {@code open}, {@code send} and {@code receive}: bytes, rate
 * and ETA on a terminal; nothing with {@code -q} or when the output is not a terminal.
 *
 * <p>Why a pseudo-terminal: the command line draws bars only when {@link System#console()}
 * reports a terminal ({@code Console.isTerminal()}), a property of the process's standard
 * streams, and the bars go straight to {@code System.err}, not to the writers {@code Main.run}
 * is given. An in-process run ({@link Cli}) has neither, and neither has a child process whose
 * streams are pipes or files. So each command runs as a separate JVM (this test's {@code java}
 * and class path) under util-linux {@code script}, which makes a pseudo-terminal the child's
 * standard input, output and error and copies everything written to it to a file the test reads.
 * The same commands with their streams redirected to files are the "not a terminal" case.
 * Passphrases and passwords reach the child only through its environment, never its command line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressTerminalTest {
    private static final Path SCRIPT = Path.of("/usr/bin/script");
    /** Well above the 8 MiB below which no bar is drawn. */
    private static final int SIZE = 24 << 20;
    /** Small, so the file is sealed as a streamed blob whatever the default bound. */
    private static final String INLINE_LIMIT = Integer.toString(1 << 20);
    private static final long TIMEOUT_SECONDS = 60;
    /** What the ASCII style draws and plain output never holds: percentage, bytes, rate, bar, elapsed / ETA. */
    private static final List<Pattern> BAR_PIECES = List.of(Pattern.compile("%"), Pattern.compile("\\d+/\\d+ MB"),
            Pattern.compile("MB/s"), Pattern.compile("\\[[ =>]*\\]"), Pattern.compile("\\(\\d+:\\d\\d:\\d\\d / "));

    Path root;
    Path big;
    Path certs;
    RelayFixture relay;
    Cli.Person alice;
    Cli.Person bob;

    /** What a child process printed: on a pty both streams are one. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + visible(out) + "\n--- err\n" + visible(err);
        }
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), SCRIPT + " (util-linux) is not installed: no pseudo-terminal to test on");
        root = dir;
        certs = root.resolve("certs");
        relay = new RelayFixture(root.resolve("relay"));
        alice = relay.join(root, "alice", "p256");
        bob = relay.join(root, "bob", "p256");
        alice.must("export", "--certs", certs.toString());
        bob.must("export", "--certs", certs.toString());
        big = random(root.resolve("big.bin"), SIZE, 7);
    }

    @AfterAll
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void sealAndOpen_onTerminal_showBytesRateAndEta() throws Exception {
        Path sealed = root.resolve("tty.p7m");
        Run seal = onTerminal(alice, seal(sealed));
        assertEquals(0, seal.code(), seal.toString());
        assertBar(seal.out(), "seal big.bin");

        Path out = root.resolve("tty-out");
        Run open = onTerminal(bob, open(sealed, out));
        assertEquals(0, open.code(), open.toString());
        assertBar(open.out(), "verify big.bin");
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(out.resolve("big.bin")));
    }

    @Test
    void sealAndOpen_quietOnTerminal_drawNoBar() throws Exception {
        Path sealed = root.resolve("quiet.p7m");
        Run seal = onTerminal(alice, quiet(seal(sealed)));
        assertEquals(0, seal.code(), seal.toString());
        assertNoBar(seal.out(), "seal big.bin");

        Path out = root.resolve("quiet-out");
        Run open = onTerminal(bob, quiet(open(sealed, out)));
        assertEquals(0, open.code(), open.toString());
        assertNoBar(open.out(), "verify big.bin");
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(out.resolve("big.bin")));
    }

    @Test
    void sealAndOpen_notOnTerminal_drawNoBar() throws Exception {
        Path sealed = root.resolve("redirected.p7m");
        Run seal = redirected(alice, seal(sealed));
        assertEquals(0, seal.code(), seal.toString());
        assertNoBar(seal.err(), "seal big.bin");
        assertNoBar(seal.out(), "seal big.bin");
        assertTrue(seal.out().contains("1 streamed file"), seal.toString());

        Path out = root.resolve("redirected-out");
        Run open = redirected(bob, open(sealed, out));
        assertEquals(0, open.code(), open.toString());
        assertNoBar(open.err(), "verify big.bin");
        assertNoBar(open.out(), "verify big.bin");
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(out.resolve("big.bin")));
    }

    @Test
    void sendAndReceive_onTerminal_showBytesRateAndEta() throws Exception {
        Run send = onTerminal(alice, List.of("send", "--to", "bob", "-m", "progress", "--file", big.toString(),
                "--inline-limit", INLINE_LIMIT));
        assertEquals(0, send.code(), send.toString());
        assertBar(send.out(), "upload big.bin");

        Path out = root.resolve("received");
        Run receive = onTerminal(bob, List.of("receive", "--out", out.toString()));
        assertEquals(0, receive.code(), receive.toString());
        assertBar(receive.out(), "download big.bin");
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(out.resolve("big.bin")));
    }

    private List<String> seal(Path sealed) {
        return List.of("seal", "--to", certs.resolve("bob-enc-cert.pem").toString(), "-m", "progress",
                "--file", big.toString(), "--inline-limit", INLINE_LIMIT, "-o", sealed.toString());
    }

    private List<String> open(Path sealed, Path out) {
        return List.of("open", sealed.toString(), "--from", certs.resolve("alice-sig-cert.pem").toString(),
                "--out", out.toString());
    }

    private static List<String> quiet(List<String> args) {
        List<String> q = new ArrayList<>(args);
        q.add(1, "-q");
        return q;
    }

    /**
     * A bar as me.tongfei's ASCII style draws it on a terminal, e.g.
     * {@code seal big.bin 100% [=====] 25/25 MB (0:00:01 / 0:00:00) 25.2 MB/s}: task label,
     * percentage, bar, bytes done/total, (elapsed / ETA), rate. Each drawing starts with CR and is
     * redrawn in place (cursor up, CR). The rate reads {@code ? MB/s} until a whole second has
     * passed, and the ETA {@code ?} before any progress, so only their form is checked.
     */
    private static void assertBar(String tty, String label) {
        String shown = visible(tty);
        List<String> drawings = drawings(tty, label);
        assertFalse(drawings.isEmpty(), "a bar labelled '" + label + "' in: " + shown);
        String last = drawings.getLast();
        assertTrue(Pattern.compile("^" + Pattern.quote(label) + " +100% ").matcher(last).find(),
                "the last drawing is complete: " + last + "\nin: " + shown);
        assertTrue(Pattern.compile(" \\[=+[ =>]*\\] ").matcher(last).find(), "the bar '[===]' in: " + last);
        Matcher bytes = Pattern.compile(" (\\d+)/(\\d+) MB ").matcher(last);
        assertTrue(bytes.find(), "bytes 'done/total MB' in: " + last);
        long mb = SIZE / 1_000_000; // the unit is 1,000,000 bytes; the count is truncated
        assertEquals(mb, Long.parseLong(bytes.group(2)), "total MB in: " + last);
        assertEquals(mb, Long.parseLong(bytes.group(1)), "done MB in: " + last);
        assertTrue(Pattern.compile(" \\(\\d+:\\d\\d:\\d\\d / (\\d+:\\d\\d:\\d\\d|\\?)\\) ").matcher(last).find(),
                "(elapsed / ETA) in: " + last);
        assertTrue(Pattern.compile(" ([\\d.,]+|\\?) MB/s$").matcher(last).find(), "rate 'N MB/s' in: " + last);
        assertTrue(drawings.size() >= 2, "drawn more than once: " + shown);
        assertTrue(Pattern.compile("\r(?!\n)").matcher(tty).find(), "redrawn in place after a bare CR: " + shown);
    }

    /** Every drawing of the bar labelled {@code label}: the text from the label to the next CR, LF or escape. */
    private static List<String> drawings(String tty, String label) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(Pattern.quote(label) + "[^\\r\\n\\u001b]*").matcher(tty);
        while (m.find()) {
            found.add(m.group().strip());
        }
        return found;
    }

    private static String visible(String s) {
        return s.replace("\r", "\\r").replace("\u001b", "\\e");
    }

    /** Nothing of a bar: no label, percentage, byte count, rate or bar, and no drawing in place. */
    private static void assertNoBar(String text, String label) {
        String shown = visible(text);
        assertFalse(text.contains(label), "no task label '" + label + "' in: " + shown);
        for (Pattern piece : BAR_PIECES) {
            assertFalse(piece.matcher(text).find(), "no '" + piece + "' in: " + shown);
        }
        assertFalse(Pattern.compile("\r(?!\n)").matcher(text).find(), "no redrawing after a bare CR in: " + shown);
        assertFalse(text.contains("\u001b"), "no escape sequences (cursor movement) in: " + shown);
    }

    /** The child: this test's JVM and class path running {@code dev.sealpost.cli.Main}. */
    private static List<String> java(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.sealpost.cli.Main"));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs sealpost under {@code script}, which makes a pseudo-terminal the child's standard
     * input, output and error and copies what the child writes to it to the file we read.
     */
    private Run onTerminal(Cli.Person p, List<String> args) throws Exception {
        // the pty starts 0x0 (script had no terminal of its own to copy the size from): give it one, as a window has
        String command = "stty cols 100 rows 30; exec "
                + java(args).stream().map(ProgressTerminalTest::shellQuote).collect(Collectors.joining(" "));
        // -q: no "Script started" lines; -e: exit with the child's code; -c: run this; /dev/null: keep no typescript
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-q", "-e", "-c", command, "/dev/null");
        Path tty = Files.createTempFile(root, "tty-", ".log");
        pb.redirectErrorStream(true).redirectOutput(tty.toFile());
        pb.environment().putAll(p.env());
        pb.environment().put("SHELL", "/bin/sh"); // script -c runs $SHELL -c: a POSIX shell for the quoting above
        Process proc = pb.start();
        try {
            // standard input stays an open, silent pipe, like a keyboard nobody types on
            assertTrue(proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out: " + args);
        } finally {
            proc.getOutputStream().close();
            proc.destroyForcibly();
        }
        return new Run(proc.exitValue(), Files.readString(tty, StandardCharsets.UTF_8), "");
    }

    /** Runs sealpost with standard output and error redirected to files: no terminal at all. */
    private Run redirected(Cli.Person p, List<String> args) throws Exception {
        Path out = Files.createTempFile(root, "out-", ".log");
        Path err = Files.createTempFile(root, "err-", ".log");
        ProcessBuilder pb = new ProcessBuilder(java(args)).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(p.env());
        Process proc = pb.start();
        try {
            assertTrue(proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "timed out: " + args);
        } finally {
            proc.destroyForcibly();
        }
        return new Run(proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Path random(Path p, long size, long seed) throws IOException {
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
}
