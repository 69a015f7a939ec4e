package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmimeTest {
    private static final byte[] CONTENT = "Subject: hello\r\n\r\nDear Bob, Grüße.\r\n".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(Suite.class)
    void seal_everyRecipientAndTheSender_decryptAndVerify(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        Identity bob = TestIdentities.bob(suite);
        Identity carol = TestIdentities.carol(suite);
        byte[] sealed = Smime.seal(CONTENT, alice, List.of(bob.encryptionCertificate(), carol.encryptionCertificate()));
        for (Identity reader : List.of(alice, bob, carol)) {
            Envelope envelope = Smime.decrypt(sealed, reader);
            assertEquals(alice.signingCertificate(), envelope.claimedSignerCertificate().orElseThrow());
            Verified v = envelope.verify(alice.signingCertificate());
            assertArrayEquals(CONTENT, v.content(), reader.name());
            assertEquals(alice.signingCertificate(), v.signer());
            assertNotNull(v.signingTime());
            assertTrue(Duration.between(v.signingTime(), Instant.now()).abs().toMinutes() < 5);
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void decrypt_notAddressedToMe_failsWithNotARecipient(Suite suite) throws Exception {
        byte[] sealed = Smime.seal(CONTENT, TestIdentities.alice(suite), List.of(TestIdentities.bob(suite).encryptionCertificate()));
        NotARecipientException e = assertThrows(NotARecipientException.class, () -> Smime.decrypt(sealed, TestIdentities.carol(suite)));
        assertEquals("this message is not encrypted to your key", e.getMessage());
    }

    @Test
    void seal_mixedSuites_eachRecipientOpens() throws Exception {
        Identity alice = TestIdentities.alice(Suite.RSA);
        Identity bob = TestIdentities.bob(Suite.P256);
        byte[] sealed = Smime.seal(CONTENT, alice, List.of(bob.encryptionCertificate()));
        assertArrayEquals(CONTENT, Smime.decrypt(sealed, bob).verify(alice.signingCertificate()).content());
        assertArrayEquals(CONTENT, Smime.decrypt(sealed, alice).verify(alice.signingCertificate()).content());
        assertThrows(NotARecipientException.class, () -> Smime.decrypt(sealed, TestIdentities.bob(Suite.RSA)));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void verify_againstAnotherSendersCertificate_failsAsDifferentKey(Suite suite) throws Exception {
        Identity bob = TestIdentities.bob(suite);
        byte[] sealed = Smime.seal(CONTENT, TestIdentities.alice(suite), List.of(bob.encryptionCertificate()));
        Envelope envelope = Smime.decrypt(sealed, bob);
        VerificationFailedException e = assertThrows(VerificationFailedException.class,
                () -> envelope.verify(TestIdentities.carol(suite).signingCertificate()));
        assertTrue(e.getMessage().startsWith("signed by a different key"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void verify_trustedCertificateWithoutDigitalSignature_fails(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        Envelope envelope = Smime.decrypt(Smime.seal(CONTENT, alice, List.of()), alice);
        VerificationFailedException e = assertThrows(VerificationFailedException.class,
                () -> envelope.verify(alice.encryptionCertificate()));
        assertTrue(e.getMessage().contains("digitalSignature"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void seal_emptyAndAllByteValues_roundTrip(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        for (byte[] content : List.of(new byte[0], all)) {
            byte[] sealed = Smime.seal(content, alice, List.of());
            assertArrayEquals(content, Smime.decrypt(sealed, alice).verify(alice.signingCertificate()).content());
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void seal_duplicateRecipients_getOneRecipientInfoEach(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        X509Certificate bob = TestIdentities.bob(suite).encryptionCertificate();
        byte[] sealed = Smime.seal(CONTENT, alice, List.of(bob, bob, alice.encryptionCertificate()));
        assertEquals(2, new CMSAuthEnvelopedData(sealed).getRecipientInfos().size());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void seal_recipientCertificateNotForEncryption_rejected(Suite suite) {
        Identity alice = TestIdentities.alice(suite);
        CertificateException e = assertThrows(CertificateException.class,
                () -> Smime.seal(CONTENT, alice, List.of(TestIdentities.bob(suite).signingCertificate())));
        assertTrue(e.getMessage().contains("key usage"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void seal_output_isDerAuthEnvelopedDataAes256GcmAroundSignedData(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        byte[] sealed = Smime.seal(CONTENT, alice, List.of(TestIdentities.bob(suite).encryptionCertificate()));

        ContentInfo outer = ContentInfo.getInstance(ASN1Sequence.getInstance(sealed));
        assertArrayEquals(sealed, outer.getEncoded("DER"), "DER");
        assertEquals(CMSObjectIdentifiers.authEnvelopedData, outer.getContentType());
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(outer.getContent());
        assertEquals(NISTObjectIdentifiers.id_aes256_GCM, aed.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm());
        GCMParameters gcm = GCMParameters.getInstance(aed.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm().getParameters());
        assertEquals(12, gcm.getNonce().length);
        assertEquals(16, gcm.getIcvLen());
        assertEquals(16, aed.getMac().getOctets().length);
        assertEquals(CMSObjectIdentifiers.data, aed.getAuthEncryptedContentInfo().getContentType());
        for (RecipientInformation ri : new CMSAuthEnvelopedData(sealed).getRecipientInfos()) {
            assertEquals(suite == Suite.RSA ? PKCSObjectIdentifiers.id_RSAES_OAEP : CMSAlgorithm.ECDH_SHA256KDF,
                    ri.getKeyEncryptionAlgorithm().getAlgorithm());
        }

        byte[] inner = Smime.decrypt(sealed, alice).signedDataEncoding();
        CMSSignedData sd = new CMSSignedData(inner);
        assertEquals(CMSObjectIdentifiers.data, sd.getSignedContentType());
        assertEquals(1, sd.getCertificates().getMatches(null).size());
        SignerInformation si = sd.getSignerInfos().getSigners().iterator().next();
        assertEquals(NISTObjectIdentifiers.id_sha256, si.getDigestAlgorithmID().getAlgorithm());
        for (var attr : List.of(CMSAttributes.contentType, CMSAttributes.messageDigest, CMSAttributes.signingTime, CMSAttributes.cmsAlgorithmProtect)) {
            assertNotNull(si.getSignedAttributes().get(attr), attr.getId());
        }
        if (suite == Suite.RSA) {
            assertEquals(PKCSObjectIdentifiers.id_RSASSA_PSS.getId(), si.getEncryptionAlgOID());
            RSASSAPSSparams pss = RSASSAPSSparams.getInstance(si.toASN1Structure().getDigestEncryptionAlgorithm().getParameters());
            assertEquals(NISTObjectIdentifiers.id_sha256, pss.getHashAlgorithm().getAlgorithm());
            assertEquals(32, pss.getSaltLength().intValue());
        } else {
            assertEquals(X9ObjectIdentifiers.ecdsa_with_SHA256.getId(), si.getEncryptionAlgOID());
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void seal_twice_differsEveryTime(Suite suite) throws Exception {
        Identity alice = TestIdentities.alice(suite);
        assertFalse(java.util.Arrays.equals(Smime.seal(CONTENT, alice, List.of()), Smime.seal(CONTENT, alice, List.of())));
    }

    @Test
    void verified_copiesContentAndHidesItInToString() throws Exception {
        Identity alice = TestIdentities.alice(Suite.P256);
        Verified v = Smime.decrypt(Smime.seal(CONTENT, alice, List.of()), alice).verify(alice.signingCertificate());
        byte[] first = v.content();
        first[0] ^= 1;
        assertArrayEquals(CONTENT, v.content());
        byte[] source = CONTENT.clone();
        Verified w = new Verified(source, alice.signingCertificate(), null);
        source[0] ^= 1;
        assertArrayEquals(CONTENT, w.content());
        assertEquals(new Verified(CONTENT, alice.signingCertificate(), null), w);
        assertFalse(v.toString().contains("Dear Bob"), v.toString());
        assertTrue(v.toString().contains(CONTENT.length + " bytes"));
    }

    @Test
    void seal_nullArguments_fail() {
        Identity alice = TestIdentities.alice(Suite.P256);
        assertThrows(NullPointerException.class, () -> Smime.seal(null, alice, List.of()));
        assertThrows(NullPointerException.class, () -> Smime.seal(CONTENT, null, List.of()));
        List<X509Certificate> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> Smime.seal(CONTENT, alice, withNull));
        assertThrows(NullPointerException.class, () -> Smime.decrypt(null, alice));
    }
}
