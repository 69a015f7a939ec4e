package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real {@code openssl} binary (3.x) for interoperability tests. */
final class OpenSsl {
    private OpenSsl() {}

    private static volatile Boolean available;

    /** Skips the calling test unless OpenSSL 3 is on the PATH. */
    static void assume() {
        Assumptions.assumeTrue(available(), "openssl 3 is not installed");
    }

    static boolean available() {
        if (available == null) {
            try {
                Result r = run(Path.of(System.getProperty("java.io.tmpdir")), "version");
                available = r.exit() == 0 && r.stdout().startsWith("OpenSSL 3");
            } catch (IOException e) {
                available = false;
            }
        }
        return available;
    }

    /** @param exit process exit code; stdout and stderr as text */
    record Result(int exit, String stdout, String stderr) {}

    /** Runs {@code openssl args...} in {@code dir}, output captured through files. */
    static Result run(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("openssl", ".out");
        Path err = Files.createTempFile("openssl", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("openssl timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1), Files.readString(err, StandardCharsets.ISO_8859_1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs openssl and fails the test, showing stderr, unless it exits 0. */
    static Result ok(Path dir, String... args) throws IOException {
        Result r = run(dir, args);
        assertEquals(0, r.exit(), () -> "openssl " + String.join(" ", args) + " failed:\n" + r.stderr());
        return r;
    }
}
