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
