package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An organisation CA with the command line, checked by the real {@code openssl}: {@code ca init},
 * a request from {@code init --csr}, {@code ca sign}, {@code cert install}; the exported chains
 * verify, a sealed message verifies with the CA as the only anchor, and after {@code ca revoke}
 * and {@code ca crl} the certificate is refused.
 */
class CaCliTest {
    @TempDir
    Path root;

    private static OpensslInteropTest.Proc openssl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        return OpensslInteropTest.run(cmd, "passphrase of alice", null);
    }

    @Test
    void caInit_sign_install_verifyInOpenssl_revoke() throws Exception {
        assumeTrue(openssl("version").code() == 0, "openssl is not installed");
        Path caDir = root.resolve("ca");
        Cli.Person admin = Cli.Person.at(root, "admin").with("SEALPOST_CA_PASSPHRASE", "ca passphrase");
        admin.must("ca", "init", "--name", "Example Org CA", "--dir", caDir.toString());
        Path anchor = caDir.resolve("ca-cert.pem");
        assertTrue(Files.exists(anchor));

        Cli.Person carol = Cli.Person.at(root, "carol");
        Path csr = root.resolve("carol.csr");
        carol.must("init", "--name", "carol", "--suite", "p256", "--csr", csr.toString());
        assertTrue(Files.readString(csr).startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
        Path issued = root.resolve("carol-issued.pem");
        admin.must("ca", "sign", csr.toString(), "--dir", caDir.toString(), "-o", issued.toString());
        assertEquals(3, admin.with("SEALPOST_CA_PASSPHRASE", "wrong").run("ca", "sign", csr.toString(), "--dir", caDir.toString(),
                "-o", root.resolve("other.pem").toString()).code(), "a wrong CA passphrase is a security failure");
        carol.must("cert", "install", issued.toString());

        Cli.Person alice = Cli.Person.at(root, "alice");
        alice.must("init", "--name", "alice", "--suite", "p256");
        Path certs = root.resolve("certs");
        carol.must("export", "--certs", certs.toString());
        alice.must("export", "--certs", certs.toString());
        Path sig = certs.resolve("carol-sig-cert.pem");
        Path enc = certs.resolve("carol-enc-cert.pem");
        assertEquals(0, openssl("verify", "-x509_strict", "-CAfile", anchor.toString(), sig.toString()).code());
        OpensslInteropTest.Proc chain = openssl("verify", "-x509_strict", "-CAfile", anchor.toString(), "-untrusted", sig.toString(),
                enc.toString());
        assertEquals(0, chain.code(), chain.err());

        // carol seals to alice; OpenSSL verifies it with only the CA as trust anchor
        Path sealed = root.resolve("m.p7m");
        carol.must("seal", "--to", certs.resolve("alice-enc-cert.pem").toString(), "-m", "from carol, CA-issued", "-o", sealed.toString());
        Path signed = root.resolve("signed.der");
        OpensslInteropTest.Proc dec = openssl("cms", "-decrypt", "-inform", "DER", "-in", sealed.toString(),
                "-recip", certs.resolve("alice-enc-cert.pem").toString(),
                "-inkey", alice.home().resolve("identity/enc-key.pem").toString(), "-passin", "env:KEYPASS", "-out", signed.toString());
        assertEquals(0, dec.code(), dec.err());
        OpensslInteropTest.Proc ver = openssl("cms", "-verify", "-inform", "DER", "-in", signed.toString(), "-binary",
                "-CAfile", anchor.toString(), "-out", root.resolve("content.mime").toString());
        assertEquals(0, ver.code(), ver.err());
        assertTrue(Files.readString(root.resolve("content.mime")).contains("from carol, CA-issued"));
        // alice opens it with the CA-issued signer named
        assertTrue(alice.must("open", sealed.toString(), "--from", sig.toString(), "--out", root.resolve("out").toString()).out()
                .contains("from carol, CA-issued"));

        // revoked: the CRL lists it and OpenSSL refuses the chain with it
        admin.must("ca", "revoke", issued.toString(), "--dir", caDir.toString());
        Path crl = root.resolve("ca.crl");
        admin.must("ca", "crl", "--dir", caDir.toString(), "-o", crl.toString());
        OpensslInteropTest.Proc refused = openssl("verify", "-crl_check", "-CRLfile", crl.toString(), "-CAfile", anchor.toString(),
                sig.toString());
        assertTrue(refused.code() != 0 && (refused.out() + refused.err()).contains("revoked"), refused.out() + refused.err());
        assertEquals(1, admin.run("ca", "revoke", issued.toString(), "--dir", caDir.toString()).code(), "revoked already");
    }

    @Test
    void signServer_givesTheRelayACertificateChainingToTheCa() throws Exception {
        assumeTrue(openssl("version").code() == 0, "openssl is not installed");
        Path caDir = root.resolve("ca");
        Cli.Person admin = Cli.Person.at(root, "admin").with("SEALPOST_CA_PASSPHRASE", "ca passphrase");
        admin.must("ca", "init", "--name", "Example Org CA", "--dir", caDir.toString(), "--suite", "p256");
        Path issued = root.resolve("relay-tls");
        admin.must("ca", "sign-server", "--dir", caDir.toString(), "--name", "localhost", "--ip", "127.0.0.1",
                "--crl-url", "http://127.0.0.1:9/ca.crl", "--out", issued.toString());
        assertTrue(!dev.sealpost.crypto.AtomicFiles.readableByOthers(issued.resolve("key.pem")));
        Path tls = Files.createDirectories(root.resolve("relay-data").resolve("tls"));
        Files.copy(issued.resolve("cert.pem"), tls.resolve("cert.pem"));
        Files.copy(issued.resolve("key.pem"), tls.resolve("key.pem"));
        try (RelayFixture relay = new RelayFixture(root.resolve("relay-data"))) {
            java.security.cert.X509Certificate leaf = dev.sealpost.crypto.Pem.readCertificate(issued.resolve("cert.pem"));
            assertEquals(dev.sealpost.crypto.Fingerprint.of(leaf).toString(), relay.fingerprint(), "the relay serves the issued certificate");
            // OpenSSL builds the chain to the CA from what the relay sends
            OpensslInteropTest.Proc handshake = OpensslInteropTest.run(List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + relay.server.port(), "-CAfile", caDir.resolve("ca-cert.pem").toString(), "-verify_return_error",
                    "-verify_ip", "127.0.0.1", "-brief"), null, new byte[0]);
            assertEquals(0, handshake.code(), handshake.out() + handshake.err());
            assertTrue((handshake.out() + handshake.err()).contains("Verification: OK"), handshake.out() + handshake.err());
            // and clients pin it as they pin a self-signed one
            relay.join(root, "alice", "p256").must("inbox");
        }
    }
}
