package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityTest {

    @ParameterizedTest
    @EnumSource(Suite.class)
    void generate_certificates_followTheProfile(Suite suite) throws Exception {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Identity id = Identity.generate("Zoë Example", suite, 2048, Clock.fixed(now, ZoneOffset.UTC));
        assertEquals("Zoë Example", id.name());
        assertEquals(suite, id.suite());
        X509Certificate sig = id.signingCertificate();
        X509Certificate enc = id.encryptionCertificate();
        byte[] sigSki = ski(sig);
        for (X509Certificate c : List.of(sig, enc)) {
            assertEquals(3, c.getVersion());
            assertEquals(sig.getSubjectX500Principal(), c.getIssuerX500Principal(), "issued by the signing certificate");
            assertEquals("Zoë Example", Certificates.commonName(c));
            assertTrue(c.getSerialNumber().signum() > 0);
            assertTrue(c.getSerialNumber().bitLength() <= 128);
            assertEquals(now.minus(Duration.ofHours(1)), c.getNotBefore().toInstant());
            assertEquals(ZonedDateTime.ofInstant(now, ZoneOffset.UTC).plusYears(5).toInstant(), c.getNotAfter().toInstant());
            assertTrue(c.getCriticalExtensionOIDs().contains(Extension.keyUsage.getId()));
            assertTrue(c.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
            assertEquals(List.of("1.3.6.1.5.5.7.3.4"), c.getExtendedKeyUsage(), "emailProtection");
            byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                    c.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifierOctets();
            assertArrayEquals(sigSki, aki, "AKI is the signing certificate's SKI");
            c.verify(sig.getPublicKey());
            assertEquals(suite == Suite.RSA ? "SHA256withRSA" : "SHA256withECDSA", c.getSigAlgName());
        }
        assertFalse(Arrays.equals(sigSki, ski(enc)));
        assertEquals(0, sig.getBasicConstraints(), "CA:TRUE, pathLenConstraint 0");
        assertEquals(-1, enc.getBasicConstraints(), "CA:FALSE");
        boolean[] sigUsage = sig.getKeyUsage();
        assertTrue(sigUsage[0] && sigUsage[1] && sigUsage[5], "digitalSignature, nonRepudiation, keyCertSign");
        assertFalse(sigUsage[2] || sigUsage[4], "no encipherment or agreement");
        boolean[] encUsage = enc.getKeyUsage();
        assertFalse(encUsage[0] || encUsage[5], "no digitalSignature or keyCertSign on the encryption key");
        assertTrue(suite == Suite.RSA ? encUsage[2] : encUsage[4]);
        assertFalse(id.signingCertificate().getPublicKey().equals(id.encryptionCertificate().getPublicKey()));
    }

    private static byte[] ski(X509Certificate c) {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                c.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
    }

    @Test
    void generate_rsa_usesRequestedModulusSize() {
        Identity id = TestIdentities.alice(Suite.RSA);
        assertEquals(2048, ((RSAPublicKey) id.signingCertificate().getPublicKey()).getModulus().bitLength());
        assertEquals(2048, ((RSAPublicKey) id.encryptionCertificate().getPublicKey()).getModulus().bitLength());
    }

    @Test
    void generate_p256_ignoresRsaBitsAndUsesP256() {
        Identity id = Identity.generate("p", Suite.P256, 0);
        assertTrue(KeyPolicy.isP256(((ECPublicKey) id.signingCertificate().getPublicKey()).getParams()));
        assertTrue(KeyPolicy.isP256(((ECPublicKey) id.encryptionCertificate().getPublicKey()).getParams()));
    }

    @Test
    void generate_default_isRsa3072AndSealsAndOpens() throws Exception {
        Identity dora = Identity.generate("dora", Suite.RSA);
        assertEquals(3072, ((RSAPublicKey) dora.signingCertificate().getPublicKey()).getModulus().bitLength());
        byte[] sealed = Smime.seal("hi".getBytes(), dora, List.of());
        assertArrayEquals("hi".getBytes(), Smime.decrypt(sealed, dora).verify(dora.signingCertificate()).content());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1024, 2047, 2049, 8192})
    void generate_unsupportedRsaSize_failsWithIllegalArgument(int bits) {
        assertThrows(IllegalArgumentException.class, () -> Identity.generate("a", Suite.RSA, bits));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", " alice", "alice ", "al\nice", "al\u0000ice",
            "a123456789b123456789c123456789d123456789e123456789f123456789g1234"})
    void generate_unacceptableName_failsWithIllegalArgument(String name) {
        assertThrows(IllegalArgumentException.class, () -> Identity.generate(name, Suite.P256, 0));
    }

    @Test
    void generate_nullArguments_fail() {
        assertThrows(IllegalArgumentException.class, () -> Identity.generate(null, Suite.P256, 0));
        assertThrows(NullPointerException.class, () -> Identity.generate("a", null, 2048));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void toString_showsNameAndFingerprint_neverKeyMaterial(Suite suite) throws Exception {
        Identity id = TestIdentities.alice(suite);
        String s = id.toString();
        assertTrue(s.contains("alice") && s.contains(Fingerprint.of(id.signingCertificate()).toString()), s);
        String hex = HexFormat.of().formatHex(id.signingKey().getEncoded());
        assertFalse(s.contains(hex.substring(hex.length() - 40)));
        if (id.signingKey() instanceof RSAPrivateCrtKey k) {
            assertFalse(s.contains(k.getPrivateExponent().toString(16).substring(0, 20)));
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void publicIdentity_carriesNameAndBothCertificates(Suite suite) {
        Identity id = TestIdentities.alice(suite);
        PublicIdentity p = id.publicIdentity();
        assertEquals("alice", p.name());
        assertEquals(id.signingCertificate(), p.signingCertificate());
        assertEquals(id.encryptionCertificate(), p.encryptionCertificate());
        assertNotNull(p.signingFingerprint());
    }
}
