package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PublicIdentityTest {

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_generatedCertificates_accepted(Suite suite) throws Exception {
        Identity id = TestIdentities.alice(suite);
        PublicIdentity p = PublicIdentity.of("alice", id.signingCertificate(), id.encryptionCertificate());
        assertEquals(id.publicIdentity(), p);
        assertEquals(suite, p.suite());
        assertEquals(Fingerprint.of(id.signingCertificate()), p.signingFingerprint());
        assertEquals(Fingerprint.of(id.encryptionCertificate()), p.encryptionFingerprint());
        assertTrue(p.signingFingerprint().matches(id.signingCertificate()));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_swappedCertificates_rejectedWithKeyUsageMessage(Suite suite) {
        Identity id = TestIdentities.alice(suite);
        CertificateException e = assertThrows(CertificateException.class,
                () -> PublicIdentity.of("alice", id.encryptionCertificate(), id.signingCertificate()));
        assertTrue(e.getMessage().contains("key usage"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_selfSignedEncryptionCertificate_rejectedAsNotIssued(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        X509Certificate selfSigned = Certificates.selfSigned("alice", newKeyPair(suite), encUsage(suite), Clock.systemUTC());
        assertRejected("encryption certificate is not issued by the signing certificate",
                () -> PublicIdentity.of("alice", alice.signingCertificate(), selfSigned));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_encryptionCertificateOfAnotherPerson_rejectedAsNotIssued(Suite suite) {
        Identity alice = TestIdentities.alice(suite);
        Identity bob = TestIdentities.bob(suite);
        assertRejected("encryption certificate is not issued by the signing certificate",
                () -> PublicIdentity.of("alice", alice.signingCertificate(), bob.encryptionCertificate()));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_encryptionCertificateIssuedByAnotherKeyUnderTheSameName_rejectedAsNotIssued(Suite suite) {
        // What a relay would forge: its own "CN=alice" signing key issues its own encryption certificate.
        Identity alice = TestIdentities.alice(suite);
        Identity forged = Identity.generate("alice", suite, 2048);
        assertEquals(alice.signingCertificate().getSubjectX500Principal(), forged.encryptionCertificate().getIssuerX500Principal());
        assertRejected("encryption certificate is not issued by the signing certificate",
                () -> PublicIdentity.of("alice", alice.signingCertificate(), forged.encryptionCertificate()));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_signingCertificateWithoutCaBits_rejected(Suite suite) throws Exception {
        KeyPair sigKeys = newKeyPair(suite);
        X509Certificate endEntity = Certificates.selfSigned("eve", sigKeys, KeyUsage.digitalSignature | KeyUsage.nonRepudiation, Clock.systemUTC());
        X509Certificate enc = Certificates.encryption(newKeyPair(suite).getPublic(), encUsage(suite), endEntity, sigKeys.getPrivate());
        assertRejected("signing certificate may not issue certificates",
                () -> PublicIdentity.of("eve", endEntity, enc));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_signingCertificateFromAnOrganisationCa_isAccepted_andStillMustIssueTheEncryptionCertificate(Suite suite,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Identity bob = TestIdentities.bob(suite);
        OrganisationCa ca = OrganisationCa.create(dir.resolve("ca"), "Example CA", suite, "ca pass".toCharArray(),
                java.time.Clock.systemUTC());
        X509Certificate issued = ca.sign(bob.signingRequest(), OrganisationCa.DEFAULT_VALIDITY, java.time.Clock.systemUTC());
        Identity recertified = bob.recertified(issued);
        PublicIdentity p = PublicIdentity.of("bob", recertified.signingCertificate(), recertified.encryptionCertificate());
        assertEquals(issued, p.signingCertificate());
        // the old encryption certificate was issued by the self-signed certificate of the same key and
        // name: it still verifies; one issued by anyone else does not
        Identity eve = TestIdentities.alice(suite);
        X509Certificate foreign = Certificates.encryption(newKeyPair(suite).getPublic(), encUsage(suite), eve.signingCertificate(),
                eve.signingKey());
        assertRejected("encryption certificate is not issued by the signing certificate",
                () -> PublicIdentity.of("bob", issued, foreign));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_encryptionCertificateForTheSigningKey_rejected(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        X509Certificate sameKey = Certificates.encryption(alice.signingCertificate().getPublicKey(), encUsage(suite),
                alice.signingCertificate(), alice.signingKey());
        assertRejected("separate keys are required", () -> PublicIdentity.of("alice", alice.signingCertificate(), sameKey));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void of_nameOtherThanTheCommonName_rejected(Suite suite) {
        Identity alice = TestIdentities.alice(suite);
        assertRejected("common name (CN) does not match",
                () -> PublicIdentity.of("bob", alice.signingCertificate(), alice.encryptionCertificate()));
    }

    private static void assertRejected(String expected, Executable of) {
        CertificateException e = assertThrows(CertificateException.class, of);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static int encUsage(Suite suite) {
        return suite == Suite.RSA ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
    }

    private static KeyPair newKeyPair(Suite suite) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(suite == Suite.RSA ? "RSA" : "EC");
        if (suite == Suite.RSA) {
            g.initialize(2048);
        } else {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        }
        return g.generateKeyPair();
    }

    @Test
    void of_rsa1024_rejected() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        X509Certificate weak = Certificates.selfSigned("w", g.generateKeyPair(), KeyUsage.digitalSignature | KeyUsage.keyEncipherment, Clock.systemUTC());
        Identity ok = TestIdentities.alice(Suite.RSA);
        CertificateException e = assertThrows(CertificateException.class,
                () -> PublicIdentity.of("w", weak, ok.encryptionCertificate()));
        assertTrue(e.getMessage().contains("1024-bit"), e.getMessage());
        assertThrows(CertificateException.class, () -> PublicIdentity.of("w", ok.signingCertificate(), weak));
    }

    @Test
    void of_ecKeyNotOnP256_rejected() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair kp = g.generateKeyPair();
        X509Certificate p384 = Certificates.selfSigned("x", kp, KeyUsage.digitalSignature | KeyUsage.keyAgreement, Clock.systemUTC());
        Identity ok = TestIdentities.alice(Suite.P256);
        CertificateException e = assertThrows(CertificateException.class,
                () -> PublicIdentity.of("x", p384, ok.encryptionCertificate()));
        assertTrue(e.getMessage().contains("P-256"), e.getMessage());
    }

    @Test
    void of_ecEncryptionCertificateWithKeyEnciphermentOnly_rejected() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        X509Certificate wrongUsage = Certificates.selfSigned("y", g.generateKeyPair(), KeyUsage.keyEncipherment, Clock.systemUTC());
        Identity ok = TestIdentities.alice(Suite.P256);
        CertificateException e = assertThrows(CertificateException.class,
                () -> PublicIdentity.of("y", ok.signingCertificate(), wrongUsage));
        assertTrue(e.getMessage().contains("keyAgreement"), e.getMessage());
    }

    @Test
    void constructor_nulls_rejected() {
        Identity ok = TestIdentities.alice(Suite.P256);
        assertThrows(NullPointerException.class, () -> new PublicIdentity(null, ok.signingCertificate(), ok.encryptionCertificate()));
        assertThrows(NullPointerException.class, () -> PublicIdentity.of("a", null, ok.encryptionCertificate()));
    }

    @Test
    void toString_showsFingerprints() {
        PublicIdentity p = TestIdentities.alice(Suite.P256).publicIdentity();
        assertTrue(p.toString().contains(p.signingFingerprint().toString()));
    }
}
