package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An organisation CA issues a person's signing certificate from their request; OpenSSL checks the chains and the CRL. */
class OrganisationCaTest {
    static final char[] PASS = "ca passphrase".toCharArray();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Suite.class)
    void issued_chainsVerifyInOpenSsl_messagesVerifyWithTheCaAsAnchor_andARevokedOneFails(Suite suite) throws Exception {
        OpenSsl.assume();
        Clock clock = Clock.systemUTC();
        Path caDir = dir.resolve("ca");
        OrganisationCa ca = OrganisationCa.create(caDir, "Example Org CA", suite, PASS, clock);
        assertFalse(AtomicFiles.readableByOthers(caDir.resolve(OrganisationCa.KEY)));
        assertTrue(new String(Files.readAllBytes(caDir.resolve(OrganisationCa.KEY)), StandardCharsets.US_ASCII)
                .contains("BEGIN ENCRYPTED PRIVATE KEY"));

        Identity carol = Identity.generate("carol", suite, 2048);
        X509Certificate issued = OrganisationCa.open(caDir, PASS).sign(carol.signingRequest(), OrganisationCa.DEFAULT_VALIDITY, clock);
        assertEquals(ca.certificate().getSubjectX500Principal(), issued.getIssuerX500Principal());
        assertEquals(carol.signingCertificate().getSubjectX500Principal(), issued.getSubjectX500Principal());
        assertTrue(Files.exists(caDir.resolve(OrganisationCa.ISSUED).resolve(issued.getSerialNumber().toString(16) + ".pem")));
        Identity recertified = carol.recertified(issued);

        Path d = TestIdentities.export(recertified, dir.resolve("carol"));
        Files.copy(caDir.resolve(OrganisationCa.CERT), dir.resolve("ca.pem"));
        OpenSsl.ok(dir, "verify", "-x509_strict", "-CAfile", "ca.pem", "carol/sig-cert.pem");
        OpenSsl.ok(dir, "verify", "-x509_strict", "-CAfile", "ca.pem", "-untrusted", "carol/sig-cert.pem", "carol/enc-cert.pem");
        OpenSsl.ok(dir, "verify", "-purpose", "smimesign", "-CAfile", "ca.pem", "carol/sig-cert.pem");
        OpenSsl.ok(dir, "verify", "-purpose", "sslclient", "-CAfile", "ca.pem", "carol/sig-cert.pem");

        // a message carol signs verifies with only the CA as trust anchor
        Identity alice = TestIdentities.alice(suite);
        TestIdentities.export(alice, dir.resolve("alice"));
        byte[] content = "Content-Type: text/plain\r\n\r\nfrom carol\r\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("sealed.der"), Smime.seal(content, recertified, List.of(alice.encryptionCertificate())));
        OpenSsl.ok(dir, "cms", "-decrypt", "-inform", "DER", "-in", "sealed.der", "-recip", "alice/enc-cert.pem",
                "-inkey", "alice/enc-key.pem", "-out", "inner.der");
        OpenSsl.ok(dir, "cms", "-verify", "-inform", "DER", "-in", "inner.der", "-binary", "-CAfile", "ca.pem", "-out", "content.bin");
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("content.bin")));

        // revoked: the CRL lists it, and OpenSSL refuses the chain with the CRL
        OrganisationCa.revoke(caDir, issued, Instant.now());
        assertThrows(java.io.IOException.class, () -> OrganisationCa.revoke(caDir, issued, Instant.now()), "once");
        Files.writeString(dir.resolve("crl.pem"), Pem.encode("X509 CRL", OrganisationCa.open(caDir, PASS)
                .crl(clock, java.time.Duration.ofDays(7)).getEncoded()));
        OpenSsl.Result refused = OpenSsl.run(dir, "verify", "-crl_check", "-CRLfile", "crl.pem", "-CAfile", "ca.pem",
                "carol/sig-cert.pem");
        assertTrue(refused.exit() != 0 && (refused.stdout() + refused.stderr()).contains("revoked"), refused.toString());
        OpenSsl.ok(dir, "crl", "-in", "crl.pem", "-CAfile", "ca.pem", "-noout");
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void badRequests_areRefused(Suite suite) throws Exception {
        Clock clock = Clock.systemUTC();
        OrganisationCa ca = OrganisationCa.create(dir.resolve("ca"), "Example Org CA", suite, PASS, clock);
        Identity carol = TestIdentities.alice(suite);
        String csr = carol.signingRequest();
        byte[] der = Pem.decode(csr, "CERTIFICATE REQUEST");
        der[der.length - 5] ^= 1; // inside the signature
        assertThrows(GeneralSecurityException.class, () -> ca.sign(Pem.encode("CERTIFICATE REQUEST", der),
                OrganisationCa.DEFAULT_VALIDITY, clock));
        assertThrows(java.io.IOException.class, () -> ca.sign("not a request", OrganisationCa.DEFAULT_VALIDITY, clock));
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> OrganisationCa.create(dir.resolve("ca"), "again", suite, PASS, clock));
        assertThrows(WrongPassphraseException.class, () -> OrganisationCa.open(dir.resolve("ca"), "wrong".toCharArray()));
        // a certificate for someone else's key does not re-certify carol
        X509Certificate bobs = ca.sign(TestIdentities.bob(suite).signingRequest(), OrganisationCa.DEFAULT_VALIDITY, clock);
        assertThrows(IllegalArgumentException.class, () -> carol.recertified(bobs));
        // nor does a CA refuse to revoke what it did not issue quietly
        assertThrows(java.io.IOException.class, () -> OrganisationCa.revoke(dir.resolve("ca"), carol.signingCertificate(),
                Instant.now()));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void organisationTrust_acceptsIssuedChains_refusesSelfSignedForeignAndRevoked(Suite suite) throws Exception {
        Clock clock = Clock.systemUTC();
        Path caDir = dir.resolve("ca");
        OrganisationCa ca = OrganisationCa.create(caDir, "Example Org CA", suite, PASS, clock);
        Identity carol = TestIdentities.alice(suite).recertified(ca.sign(TestIdentities.alice(suite).signingRequest(),
                OrganisationCa.DEFAULT_VALIDITY, clock));
        OrganisationTrust trust = OrganisationTrust.load(caDir.resolve(OrganisationCa.CERT), null, clock);
        assertEquals(carol.publicIdentity(), trust.check("alice", carol.signingCertificate(), carol.encryptionCertificate()));

        Identity selfSigned = TestIdentities.bob(suite);
        java.security.cert.CertificateException e = assertThrows(java.security.cert.CertificateException.class,
                () -> trust.check("bob", selfSigned.signingCertificate(), selfSigned.encryptionCertificate()));
        assertTrue(e.getMessage().startsWith("bob's signing certificate is not issued by the organisation CA"), e.getMessage());
        OrganisationCa other = OrganisationCa.create(dir.resolve("other"), "Other CA", suite, PASS, clock);
        Identity foreign = TestIdentities.bob(suite).recertified(other.sign(TestIdentities.bob(suite).signingRequest(),
                OrganisationCa.DEFAULT_VALIDITY, clock));
        assertThrows(java.security.cert.CertificateException.class,
                () -> trust.check("bob", foreign.signingCertificate(), foreign.encryptionCertificate()));
        assertThrows(java.security.cert.CertificateException.class,
                () -> trust.check("mallory", carol.signingCertificate(), carol.encryptionCertificate()), "the name is the CN");

        // revoked, with the CRL file read again when it changes
        Path crlFile = dir.resolve("ca.crl");
        Files.writeString(crlFile, Pem.encode("X509 CRL", ca.crl(clock, java.time.Duration.ofDays(7)).getEncoded()));
        OrganisationTrust withCrl = OrganisationTrust.load(caDir.resolve(OrganisationCa.CERT), crlFile, clock);
        withCrl.check("alice", carol.signingCertificate(), carol.encryptionCertificate());
        OrganisationCa.revoke(caDir, carol.signingCertificate(), Instant.now());
        Files.writeString(crlFile, Pem.encode("X509 CRL", ca.crl(clock, java.time.Duration.ofDays(7)).getEncoded()));
        Files.setLastModifiedTime(crlFile, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
        e = assertThrows(java.security.cert.CertificateException.class,
                () -> withCrl.check("alice", carol.signingCertificate(), carol.encryptionCertificate()));
        assertEquals("alice's signing certificate is revoked by the CA", e.getMessage());

        // a CRL past its next update: the revocation status is unknown, so the certificate is refused
        Identity dave = TestIdentities.bob(suite).recertified(ca.sign(TestIdentities.bob(suite).signingRequest(),
                OrganisationCa.DEFAULT_VALIDITY, clock));
        Clock tenDaysAgo = Clock.fixed(Instant.now().minus(java.time.Duration.ofDays(10)), java.time.ZoneOffset.UTC);
        Path stale = dir.resolve("stale.crl");
        Files.writeString(stale, Pem.encode("X509 CRL", ca.crl(tenDaysAgo, java.time.Duration.ofDays(7)).getEncoded()));
        e = assertThrows(java.security.cert.CertificateException.class, () -> OrganisationTrust.load(caDir.resolve(OrganisationCa.CERT),
                stale, clock).check("bob", dave.signingCertificate(), dave.encryptionCertificate()));
        assertEquals("bob's signing certificate has an unknown revocation status (is the CRL current?)", e.getMessage());

        // a CRL the CA did not sign is refused at once
        Files.writeString(dir.resolve("other.crl"), Pem.encode("X509 CRL", other.crl(clock, java.time.Duration.ofDays(7)).getEncoded()));
        assertThrows(java.io.IOException.class, () -> OrganisationTrust.load(caDir.resolve(OrganisationCa.CERT),
                dir.resolve("other.crl"), clock));
    }
}
