package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sealpost sessions}, {@code sessions revoke}, {@code password} and {@code logout} against a real relay. */
class SessionsCliTest {
    @TempDir
    Path dir;

    /** A second device of {@code p}: a copy of their home (keys and saved session) elsewhere. */
    private static Cli.Person copyOf(Cli.Person p, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(p.home())) {
            for (Path f : files.toList()) {
                Path target = to.resolve(p.home().relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return p.with("SEALPOST_HOME", to.toString());
    }

    @Test
    void list_revokeOthers_passwordChange_logout() throws Exception {
        try (RelayFixture relay = new RelayFixture(dir.resolve("relay"))) {
            Cli.Person laptop = relay.join(dir, "alice", "p256");
            Cli.Person phone = copyOf(laptop, dir.resolve("phone")); // holds the same token for now
            phone.must("login"); // its own session
            laptop.must("inbox");
            phone.must("inbox");

            List<String> rows = laptop.must("sessions").out().lines().toList();
            assertTrue(rows.getFirst().startsWith("ID"), rows.toString());
            assertEquals(3, rows.size(), "a header and two sessions: " + rows);
            assertTrue(rows.stream().anyMatch(r -> r.endsWith("(this one)")), rows.toString());
            assertTrue(rows.get(1).contains("127.0.0.1") && rows.get(1).contains("sealpost ("), rows.toString());

            // revoke the phone by its ID
            String phoneId = phone.must("sessions").out().lines().filter(r -> r.endsWith("(this one)")).findFirst().orElseThrow()
                    .split("\\s+")[0];
            laptop.must("sessions", "revoke", phoneId);
            Cli.Result revoked = phone.run("inbox");
            assertEquals(4, revoked.code(), revoked.toString());
            assertTrue(revoked.err().contains("run sealpost login"), revoked.err());
            assertEquals(1, laptop.run("sessions", "revoke", phoneId).code(), "gone already");
            assertEquals(2, laptop.run("sessions", "revoke").code(), "an ID or --all");

            // --all: every other session
            phone.must("login");
            laptop.must("sessions", "revoke", "--all");
            assertEquals(4, phone.run("inbox").code());
            laptop.must("inbox");

            // a new password: the old one is needed, other sessions end, this one goes on
            phone.must("login");
            Cli.Result wrongOld = laptop.with("SEALPOST_PASSWORD", "not the password").with("SEALPOST_NEW_PASSWORD", "new password 42")
                    .run("password");
            assertEquals(3, wrongOld.code(), wrongOld.toString());
            laptop.with("SEALPOST_NEW_PASSWORD", "new password 42").must("password");
            assertEquals(4, phone.run("inbox").code(), "the phone's session ended");
            laptop.must("inbox");
            assertEquals(3, phone.run("login").code(), "the old password no longer works");
            phone.with("SEALPOST_PASSWORD", "new password 42").must("login");

            // logout: the session ends on the relay and is forgotten here
            laptop.must("logout");
            Cli.Result after = laptop.run("inbox");
            assertEquals(2, after.code(), after.toString());
            assertTrue(after.err().contains("not logged in"), after.err());
            assertEquals(1, phone.with("SEALPOST_PASSWORD", "new password 42").must("sessions").out().lines().count() - 1,
                    "only the phone's session is left");
        }
    }
}
