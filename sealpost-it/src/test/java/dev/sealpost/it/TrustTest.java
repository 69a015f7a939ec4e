package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.crypto.IdentityFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins: of the relay's certificate, of contacts' certificates, and the passphrase that guards the keys. */
class TrustTest {
    @TempDir Path root;

    @Test
    void register_relayWithOtherCertificate_isRefused() throws Exception {
        try (RelayFixture a = new RelayFixture(root.resolve("a")); RelayFixture b = new RelayFixture(root.resolve("b"))) {
            Cli.Person alice = Cli.Person.at(root, "alice");
            alice.must("init", "--name", "alice", "--suite", "p256");

            Cli.Result r = alice.run("register", "--relay", b.url(), "--relay-fingerprint", a.fingerprint());

            assertEquals(3, r.code(), r.toString());
            assertTrue(r.err().contains("refusing relay") && r.err().contains(b.fingerprint()), r.toString());
            assertTrue(Files.notExists(alice.home().resolve("session.json")));
        }
    }

    @Test
    void send_afterContactChangedKeys_refusedUntilFingerprintTrusted() throws Exception {
        try (RelayFixture relay = new RelayFixture(root.resolve("relay"))) {
            Cli.Person alice = relay.join(root, "alice", "p256");
            relay.join(root, "bob", "p256");
            alice.must("send", "--to", "bob", "-m", "first");
            // bob loses his laptop: new identity, same account
            Cli.Person newBob = Cli.Person.at(root.resolve("new"), "bob");
            newBob.must("init", "--name", "bob", "--suite", "p256");
            newBob.must("login", "--relay", relay.url(), "--relay-fingerprint", relay.fingerprint());

            Cli.Result refused = alice.run("send", "--to", "bob", "-m", "second");
            assertEquals(3, refused.code(), refused.toString());
            assertTrue(refused.err().contains("changed"), refused.toString());

            String newFp = IdentityFiles.readPublic(newBob.home().resolve("identity")).signingFingerprint().toString();
            alice.must("contacts", "trust", "bob", "--fingerprint", newFp);
            alice.must("send", "--to", "bob", "-m", "second");
            Cli.Result got = newBob.run("receive", "--out", root.resolve("out").toString());
            assertTrue(got.out().contains("second"), got.toString());
        }
    }

    @Test
    void contactsTrust_wrongFingerprint_changesNothing() throws Exception {
        try (RelayFixture relay = new RelayFixture(root.resolve("relay"))) {
            Cli.Person alice = relay.join(root, "alice", "p256");
            relay.join(root, "bob", "p256");
            Cli.Result r = alice.run("contacts", "trust", "bob", "--fingerprint", "SHA256:" + "ab".repeat(32));
            assertEquals(3, r.code(), r.toString());
            assertTrue(alice.must("contacts", "list").out().contains("no contacts"));
        }
    }

    @Test
    void send_wrongPassphrase_failsCleanlyAndKeyFilesUnchanged() throws Exception {
        try (RelayFixture relay = new RelayFixture(root.resolve("relay"))) {
            Cli.Person alice = relay.join(root, "alice", "rsa");
            relay.join(root, "bob", "p256");
            List<byte[]> before = keyFiles(alice);

            Cli.Result r = alice.with("SEALPOST_PASSPHRASE", "not it").run("send", "--to", "bob", "-m", "hi");

            assertEquals(3, r.code(), r.toString());
            assertTrue(r.err().contains("wrong passphrase"), r.toString());
            assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r);
            List<byte[]> after = keyFiles(alice);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i));
            }
            assertTrue(EndToEndTest.client(alice).messages().inbox().isEmpty());
        }
    }

    private static List<byte[]> keyFiles(Cli.Person p) throws Exception {
        try (Stream<Path> s = Files.list(p.home().resolve("identity"))) {
            return s.sorted().map(f -> {
                try {
                    return Files.readAllBytes(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
