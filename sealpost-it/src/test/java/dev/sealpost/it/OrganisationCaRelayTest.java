package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.relay.RelayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The organisation CA end to end on a real relay with {@code --trust-anchor}: CA-issued people
 * register and exchange a message verified without a first-use pin; a self-signed identity is
 * refused by the relay; after {@code ca revoke} and a new CRL, the relay and the sender refuse carol.
 */
class OrganisationCaRelayTest {
    @TempDir
    Path root;

    private Cli.Person certified(Cli.Person admin, Path caDir, String name) {
        Cli.Person p = Cli.Person.at(root, name);
        Path csr = root.resolve(name + ".csr");
        p.must("init", "--name", name, "--suite", "p256", "--csr", csr.toString());
        Path cert = root.resolve(name + "-issued.pem");
        admin.must("ca", "sign", csr.toString(), "--dir", caDir.toString(), "-o", cert.toString());
        p.must("cert", "install", cert.toString());
        return p;
    }

    @Test
    void caIssuedPeople_exchangeWithoutFirstUse_selfSignedAndRevokedAreRefused() throws Exception {
        Path caDir = root.resolve("ca");
        Cli.Person admin = Cli.Person.at(root, "admin").with("SEALPOST_CA_PASSPHRASE", "ca passphrase");
        admin.must("ca", "init", "--name", "Example Org CA", "--dir", caDir.toString(), "--suite", "p256");
        Path anchor = caDir.resolve("ca-cert.pem");
        Path crl = root.resolve("ca.crl");
        admin.must("ca", "crl", "--dir", caDir.toString(), "-o", crl.toString());

        try (RelayFixture relay = new RelayFixture(root.resolve("relay"), c -> c.withTrust(new RelayConfig.Trust(anchor, crl)))) {
            Cli.Person alice = certified(admin, caDir, "alice");
            Cli.Person carol = certified(admin, caDir, "carol");
            for (Cli.Person p : new Cli.Person[] {alice, carol}) {
                p.must("register", "--relay", relay.url(), "--relay-fingerprint", relay.fingerprint());
                p.must("ca", "trust", anchor.toString(), "--crl", crl.toString());
            }

            // a self-signed identity: the relay refuses the registration, and no account is made
            Cli.Person dave = Cli.Person.at(root, "dave");
            dave.must("init", "--name", "dave", "--suite", "p256");
            Cli.Result refused = dave.run("register", "--relay", relay.url(), "--relay-fingerprint", relay.fingerprint());
            assertEquals(3, refused.code(), refused.toString());
            assertTrue(refused.err().contains("not issued by the organisation CA"), refused.err());
            Cli.Result noAccount = dave.run("login", "--relay", relay.url(), "--relay-fingerprint", relay.fingerprint());
            assertEquals(3, noAccount.code(), noAccount.toString());
            assertTrue(noAccount.err().contains("wrong name or password"), "no account was created: " + noAccount.err());

            // alice to carol: accepted because the CA issued carol's certificates, not pinned on first use
            Cli.Result sent = alice.must("send", "--to", "carol", "-m", "hello from alice, CA-checked");
            assertTrue(sent.out().contains("accepted carol: certificates issued by CN=Example Org CA"), sent.toString());
            assertFalse(sent.out().contains("first use"), sent.toString());
            Cli.Result got = carol.must("receive", "--all", "--out", root.resolve("carol-in").toString());
            assertTrue(got.out().contains("hello from alice, CA-checked"), got.toString());
            assertTrue(got.out().contains("accepted alice: certificates issued by"), got.toString());

            // carol writes to alice; then carol is revoked before alice reads it
            carol.must("send", "--to", "alice", "-m", "written before the revocation");

            // revoke carol, publish the CRL: the relay refuses her keys, alice refuses to send to her
            admin.must("ca", "revoke", root.resolve("carol-issued.pem").toString(), "--dir", caDir.toString());
            admin.must("ca", "crl", "--dir", caDir.toString(), "-o", crl.toString());
            Files.setLastModifiedTime(crl, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(2)));
            Cli.Result relogin = carol.run("login");
            assertEquals(4, relogin.code(), relogin.toString());
            assertTrue(relogin.err().contains("revoked by the CA"), relogin.err());
            alice.must("ca", "trust", anchor.toString(), "--crl", crl.toString());
            Cli.Result toRevoked = alice.run("send", "--to", "carol", "-m", "should not go");
            assertEquals(3, toRevoked.code(), toRevoked.toString());
            assertTrue(toRevoked.err().contains("revoked by the CA"), toRevoked.err());
            // and what carol sent is refused on receipt, nothing saved
            Cli.Result fromRevoked = alice.run("receive", "--all", "--out", root.resolve("alice-in").toString());
            assertEquals(3, fromRevoked.code(), fromRevoked.toString());
            assertTrue(fromRevoked.err().contains("revoked by the CA"), fromRevoked.err());
            assertFalse(Files.exists(root.resolve("alice-in")) && Files.list(root.resolve("alice-in")).findAny().isPresent(),
                    "nothing saved");
        }
    }

    @Test
    void mutualTls_needsADeviceCertificateFromTheCa() throws Exception {
        Path caDir = root.resolve("ca");
        Cli.Person admin = Cli.Person.at(root, "admin").with("SEALPOST_CA_PASSPHRASE", "ca passphrase");
        admin.must("ca", "init", "--name", "Example Org CA", "--dir", caDir.toString(), "--suite", "p256");
        Path anchor = caDir.resolve("ca-cert.pem");
        try (RelayFixture relay = new RelayFixture(root.resolve("relay"), c -> c.withTrust(new RelayConfig.Trust(anchor, null, true)))) {
            Cli.Person carol = certified(admin, caDir, "carol");
            assertTrue(Files.exists(carol.home().resolve("identity/tls-key.pem")), "cert install made a device key");
            assertFalse(dev.sealpost.crypto.AtomicFiles.readableByOthers(carol.home().resolve("identity/tls-key.pem")));
            carol.must("register", "--relay", relay.url(), "--relay-fingerprint", relay.fingerprint());
            carol.must("inbox");

            // no client certificate: the TLS handshake fails, nothing reaches the relay's routes
            Cli.Person dave = Cli.Person.at(root, "dave");
            dave.must("init", "--name", "dave", "--suite", "p256");
            Cli.Result noCert = dave.run("register", "--relay", relay.url(), "--relay-fingerprint", relay.fingerprint());
            assertEquals(4, noCert.code(), noCert.toString());
            // the relay's alert (certificate_required) may reach the client during the handshake or while it writes
            assertTrue(noCert.err().contains("TLS with relay") || noCert.err().contains("connection to relay"), noCert.err());
            assertFalse(noCert.err().contains("organisation CA"), "refused in the handshake, not by the key directory");

            // a device certificate from another CA: refused the same way
            Path otherCa = root.resolve("other-ca");
            admin.must("ca", "init", "--name", "Other CA", "--dir", otherCa.toString(), "--suite", "p256");
            Cli.Person erin = certified(admin, otherCa, "erin");
            Cli.Result foreign = erin.run("register", "--relay", relay.url(), "--relay-fingerprint", relay.fingerprint());
            assertEquals(4, foreign.code(), foreign.toString());
            // (the server's alert may reach the client while it writes its request: either message)
            assertTrue(foreign.err().contains("TLS with relay") || foreign.err().contains("connection to relay"), foreign.err());
            assertFalse(foreign.err().contains("organisation CA"), "refused in the handshake, not by the key directory");
        }
    }
}
