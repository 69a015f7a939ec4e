package dev.sealpost.cli;

import dev.sealpost.media.SampleImages;
import dev.sealpost.relay.RelayConfig;
import dev.sealpost.relay.RelayServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sealpost demo}: a relay, alice and bob on this machine; alice sends bob a message
 * with two images, bob receives and verifies it, then a copy tampered on the relay's disk is
 * refused. Each step is the real command a user would type, run in this JVM.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show the whole flow on this machine: relay, alice and bob, a message with images, and a tampered copy refused.")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin QuietOption quiet;

    @Option(names = "--keep", description = "Keep the demo folder instead of deleting it.")
    boolean keep;

    @Option(names = "--suite", defaultValue = "rsa", description = "Key suite for alice and bob: rsa (default) or p256.")
    String suite;

    private Ctx ctx;

    @Override
    public Integer call() throws Exception {
        Ctx real = Ctx.of(spec);
        ctx = quiet.quiet ? new Ctx(new java.io.PrintWriter(java.io.Writer.nullWriter()), real.err(), real.env()) : real;
        // the relay's per-request log would interleave with the story; keep only its warnings
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.sealpost.relay"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path root = Files.createTempDirectory("sealpost-demo-");
        long started = System.nanoTime();
        try {
            ctx.out().printf("sealpost demo in %s%n%n", root);
            RelayConfig config = RelayConfig.defaults(root.resolve("relay")).withPort(0);
            try (RelayServer relay = RelayServer.start(config)) {
                step("1. A relay starts: HTTPS with a self-signed certificate, SQLite and a blob folder.");
                ctx.out().printf("   relay listening on %s%n   TLS certificate %s%n", relay.uri(), relay.certificateFingerprint());
                Map<String, String> alice = person(root, "alice");
                Map<String, String> bob = person(root, "bob");

                step("2. alice and bob create their identities (a signing and an encryption key pair each).");
                must(alice, "init", "--name", "alice", "--suite", suite);
                must(bob, "init", "--name", "bob", "--suite", suite);

                step("3. Both register on the relay, pinning its certificate, and publish their certificates.");
                String url = relay.uri().toString();
                String fp = relay.certificateFingerprint().toString();
                must(alice, "register", "--relay", url, "--relay-fingerprint", fp);
                must(bob, "register", "--relay", url, "--relay-fingerprint", fp);

                step("4. alice sends bob a message with a photo and a diagram: compressed, signed, encrypted, uploaded.");
                Path photos = Files.createDirectories(root.resolve("alice-photos"));
                Path photo = photos.resolve("harbour.jpg");
                Path diagram = photos.resolve("diagram.png");
                Files.write(photo, SampleImages.jpeg(1600, 1200, 92));
                Files.write(diagram, SampleImages.png(1200, 800));
                must(alice, "send", "--to", "bob", "-s", "Weekend", "-m", "Hi Bob, the harbour photo and the plan.",
                        "--image", photo.toString(), "--image", diagram.toString());

                step("5. bob lists his inbox: the relay knows sender, time and size; the preview is decrypted on bob's machine.");
                must(bob, "inbox");

                step("6. bob receives: decrypts, verifies alice's signature against her pinned certificate, saves the images.");
                Path received = root.resolve("bob-received");
                must(bob, "receive", "--out", received.toString());

                step("7. alice sends again; the demo flips one byte of the stored ciphertext on the relay's disk.");
                must(alice, "send", "--to", "bob", "-m", "This one will be tampered with.", "--image", diagram.toString());
                Path blob = newestBlob(root.resolve("relay"));
                flipByte(blob);
                ctx.out().printf("   flipped a byte in %s%n", root.relativize(blob));

                step("8. bob tries to receive it: refused, nothing written, the message stays on the relay.");
                Path tampered = root.resolve("bob-tampered");
                int code = run(bob, "receive", "--out", tampered.toString());
                boolean empty = !Files.exists(tampered) || isEmpty(tampered);
                ctx.out().printf("   exit code %d; %s%n", code, empty ? "nothing was written to " + root.relativize(tampered)
                        : "UNEXPECTED: files were written");
                if (code == 0 || !empty) {
                    ctx.err().println("sealpost: demo failed: the tampered message was not refused");
                    return Failures.INTERNAL;
                }
            }
            real.out().printf("%sdemo finished in %.1f s%s%n", quiet.quiet ? "" : "\n", (System.nanoTime() - started) / 1e9,
                    keep ? "; files kept in " + root : "");
            return 0;
        } finally {
            if (!keep) {
                deleteTree(root);
            }
        }
    }

    private Map<String, String> person(Path root, String name) {
        Map<String, String> env = new HashMap<>();
        env.put("SEALPOST_HOME", root.resolve(name).toString());
        env.put("SEALPOST_PASSPHRASE", "demo passphrase of " + name);
        env.put("SEALPOST_PASSWORD", "demo password of " + name);
        env.put("USER", name);
        return env;
    }

    private void step(String text) {
        ctx.out().printf("%n%s%n", text);
    }

    private void must(Map<String, String> env, String... args) {
        int code = run(env, args);
        if (code != 0) {
            throw new Failures.UserException(Failures.INTERNAL, "demo step failed: sealpost " + String.join(" ", args));
        }
    }

    private int run(Map<String, String> env, String... args) {
        List<String> shown = new ArrayList<>();
        for (String a : args) {
            shown.add(a.contains(" ") ? "\"" + a + "\"" : a);
        }
        ctx.out().printf("%s$ sealpost %s%n", env.get("USER"), String.join(" ", shown));
        ctx.out().flush();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), env, args);
        indent(out.toString());
        indent(err.toString());
        return code;
    }

    private void indent(String text) {
        text.lines().forEach(l -> ctx.out().println("   " + l));
        ctx.out().flush();
    }

    private static Path newestBlob(Path relayData) throws IOException {
        try (Stream<Path> s = Files.walk(relayData.resolve("blobs"))) {
            return s.filter(Files::isRegularFile)
                    .max(Comparator.comparingLong(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new IOException("no blob found on the relay"));
        }
    }

    private static void flipByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
