package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Totp;
import dev.sealpost.testkit.Authenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sealpost mfa} and {@code login} with a second factor, as a user runs them, against a real relay. */
class MfaCliTest {
    @TempDir
    Path dir;

    /** The code an authenticator app shows now for the secret in {@code uri}, or for the step {@code offset} away. */
    private static String code(byte[] secret, int offset) {
        return Totp.code(secret, Totp.step(Instant.now()) + offset, 6);
    }

    /** Waits into the next 30-second step (a code is accepted once per step). */
    private static void nextStep() throws InterruptedException {
        long step = Totp.step(Instant.now());
        while (Totp.step(Instant.now()) == step) {
            Thread.sleep(200);
        }
    }

    @Test
    void enable_confirm_loginWithCode_recoveryOnce_disable() throws Exception {
        // more code tries than the default 5 (the relay's own tests check that limit)
        try (RelayFixture relay = new RelayFixture(dir.resolve("relay"), c -> c.withRateLimit(dev.sealpost.relay.RateLimit.MFA,
                new dev.sealpost.relay.RateLimit.Limit(50, java.time.Duration.ofMinutes(15))))) {
            Cli.Person alice = relay.join(dir, "alice", "p256");
            Cli.Result enabled = alice.must("mfa", "enable");
            String uri = enabled.out().lines().findFirst().orElseThrow();
            Matcher m = Pattern.compile("^otpauth://totp/sealpost%20127\\.0\\.0\\.1:alice\\?secret=([A-Z2-7]+)&issuer=.*").matcher(uri);
            assertTrue(m.matches(), uri);
            assertTrue(enabled.err().contains("█"), "a QR code on the terminal");
            assertTrue(enabled.err().contains("sealpost mfa confirm"), enabled.err());
            String base32 = m.group(1);
            byte[] secret = Authenticator.secret(base32);

            Cli.Result wrongConfirm = alice.with("SEALPOST_OTP", otherThan(code(secret, 0))).run("mfa", "confirm");
            assertEquals(3, wrongConfirm.code(), wrongConfirm.toString());
            Cli.Result confirmed = alice.with("SEALPOST_OTP", code(secret, 0)).must("mfa", "confirm");
            List<String> recovery = confirmed.out().lines().toList();
            assertEquals(10, recovery.size(), confirmed.toString());
            assertTrue(confirmed.err().contains("shown only now"), confirmed.err());

            // login: without a code (no terminal to ask on), with a wrong one, with a reused one: exit 3
            Cli.Result none = alice.run("login");
            assertEquals(3, none.code(), none.toString());
            assertTrue(none.err().contains("second factor required"), none.err());
            assertEquals(3, alice.with("SEALPOST_OTP", otherThan(code(secret, 0))).run("login").code());
            nextStep();
            String now = code(secret, 0);
            Path otpFile = Files.writeString(dir.resolve("otp.txt"), now + "\n");
            alice.must("login", "--otp-file", otpFile.toString());
            Cli.Result reused = alice.with("SEALPOST_OTP", now).run("login");
            assertEquals(3, reused.code(), reused.toString());
            assertTrue(reused.err().contains("used already"), reused.err());

            // a recovery code, once
            alice.with("SEALPOST_OTP", recovery.getFirst()).must("login");
            assertEquals(3, alice.with("SEALPOST_OTP", recovery.getFirst()).run("login").code());

            // the session works; then turn it off with a recovery code, and log in without one
            alice.must("inbox");
            assertEquals(3, alice.with("SEALPOST_OTP", "000000".equals(code(secret, 0)) ? "111111" : "000000").run("mfa", "disable").code());
            alice.with("SEALPOST_OTP", recovery.get(1)).must("mfa", "disable");
            alice.must("login");

            // nothing secret in the client's files or the relay's data
            List<String> secrets = Stream.concat(Stream.of(base32), recovery.stream()).toList(); // (a 6-digit code could occur by chance)
            assertNoneIn(alice.home(), secrets);
            assertNoneIn(relay.dir, secrets);
        }
    }

    private static String otherThan(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    private static void assertNoneIn(Path root, List<String> secrets) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String s : secrets) {
                    assertFalse(text.contains(s) || text.contains(s.replace("-", "")), f + " holds a secret");
                }
            }
        }
    }
}
