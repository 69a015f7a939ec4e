package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.SimpleAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Damaged, truncated, mis-built and refused messages: each fails with a checked exception and no content. */
class SmimeTamperTest {
    private static final byte[] CONTENT = "the quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

    private static byte[] sealToBob(Suite suite) throws GeneralSecurityException {
        return Smime.seal(CONTENT, TestIdentities.alice(suite), List.of(TestIdentities.bob(suite).encryptionCertificate()));
    }

    private static byte[] openAsBob(byte[] sealed, Suite suite) throws Exception {
        return Smime.decrypt(sealed, TestIdentities.bob(suite)).verify(TestIdentities.alice(suite).signingCertificate()).content();
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void open_flippedByteInCiphertextOrTag_failsWithoutContent(Suite suite) throws Exception {
        byte[] sealed = sealToBob(suite);
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ContentInfo.getInstance(sealed).getContent());
        byte[] ciphertext = aed.getAuthEncryptedContentInfo().getEncryptedContent().getOctets();
        byte[] mac = aed.getMac().getOctets();
        int ctAt = indexOf(sealed, ciphertext);
        int macAt = indexOf(sealed, mac);
        assertTrue(ctAt > 0 && macAt > ctAt);
        for (int[] region : List.of(new int[] {ctAt, ciphertext.length}, new int[] {macAt, mac.length})) {
            for (int i = region[0]; i < region[0] + region[1]; i++) {
                byte[] bad = sealed.clone();
                bad[i] ^= (byte) (1 << (i % 8));
                assertThrows(DecryptionFailedException.class, () -> Smime.decrypt(bad, TestIdentities.bob(suite)), "byte " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void open_flippedByteAnywhere_failsOrYieldsExactlyTheOriginal(Suite suite) throws Exception {
        byte[] sealed = sealToBob(suite);
        int failures = 0;
        for (int i = 0; i < sealed.length; i++) {
            byte[] bad = sealed.clone();
            bad[i] ^= (byte) 0x5a;
            try {
                byte[] content = openAsBob(bad, suite);
                assertArrayEquals(CONTENT, content, "byte " + i + " changed the content");
            } catch (MalformedMessageException | NotARecipientException | DecryptionFailedException | VerificationFailedException e) {
                failures++;
            } catch (Exception | StackOverflowError e) {
                fail("byte " + i + ": unexpected " + e, e);
            }
        }
        // Only bytes outside the authenticated region (for example in another recipient's RecipientInfo) may pass.
        assertTrue(failures > sealed.length / 2, failures + " of " + sealed.length);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void open_truncated_failsAsMalformed(Suite suite) throws Exception {
        byte[] sealed = sealToBob(suite);
        for (int len = 0; len < sealed.length; len++) {
            byte[] cut = Arrays.copyOf(sealed, len);
            assertThrows(MalformedMessageException.class, () -> Smime.decrypt(cut, TestIdentities.bob(suite)), "length " + len);
        }
    }

    @Test
    void open_trailingBytes_failsAsMalformed() throws Exception {
        byte[] sealed = sealToBob(Suite.P256);
        byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Smime.decrypt(longer, TestIdentities.bob(Suite.P256)));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
    }

    @Test
    void open_emptyOrRandomBytes_failsAsMalformed() {
        Identity bob = TestIdentities.bob(Suite.P256);
        Random random = new Random(42);
        assertThrows(MalformedMessageException.class, () -> Smime.decrypt(new byte[0], bob));
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            if (i % 2 == 0) {
                junk[0] = 0x30;
            }
            assertThrows(MalformedMessageException.class, () -> Smime.decrypt(junk, bob));
        }
        assertThrows(MalformedMessageException.class, () -> Smime.decrypt("Content-Type: text/plain\n\nhello".getBytes(), bob));
    }

    @Test
    void open_deeplyNestedStructure_failsAsMalformed() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 200_000; i++) {
            b.write(0x30);
            b.write(0x80); // indefinite length
        }
        byte[] nested = b.toByteArray();
        assertThrows(MalformedMessageException.class, () -> Smime.decrypt(nested, TestIdentities.bob(Suite.P256)));
    }

    @Test
    void open_envelopedDataWithCbc_refusedAsUnauthenticated() throws Exception {
        Identity bob = TestIdentities.bob(Suite.RSA);
        CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
        gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(bob.encryptionCertificate()).setProvider(Providers.bc()));
        byte[] cbc = gen.generate(new CMSProcessableByteArray(Signing.sign(CONTENT, TestIdentities.alice(Suite.RSA))),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(Providers.bc()).build()).getEncoded();
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Smime.decrypt(cbc, bob));
        assertTrue(e.getMessage().startsWith("sealpost requires AuthEnvelopedData with AES-GCM"), e.getMessage());
    }

    @Test
    void open_rsaPkcs1v15KeyTransport_refused() throws Exception {
        Identity bob = TestIdentities.bob(Suite.RSA);
        CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
        gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(bob.encryptionCertificate()).setProvider(Providers.bc()));
        byte[] v15 = gen.generate(new CMSProcessableByteArray(Signing.sign(CONTENT, TestIdentities.alice(Suite.RSA))), gcm()).getEncoded();
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Smime.decrypt(v15, bob));
        assertTrue(e.getMessage().contains("RSAES-OAEP"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void open_gcmWithShortTag_refused(Suite suite) throws Exception {
        ContentInfo ci = ContentInfo.getInstance(sealToBob(suite));
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ci.getContent());
        EncryptedContentInfo eci = aed.getAuthEncryptedContentInfo();
        GCMParameters gcm = GCMParameters.getInstance(eci.getContentEncryptionAlgorithm().getParameters());
        EncryptedContentInfo shortTag = new EncryptedContentInfo(eci.getContentType(),
                new AlgorithmIdentifier(eci.getContentEncryptionAlgorithm().getAlgorithm(), new GCMParameters(gcm.getNonce(), 12)),
                eci.getEncryptedContent());
        byte[] bad = new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, new AuthEnvelopedData(aed.getOriginatorInfo(),
                aed.getRecipientInfos(), shortTag, aed.getAuthAttrs(), aed.getMac(), aed.getUnauthAttrs())).getEncoded(ASN1Encoding.DER);
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> Smime.decrypt(bad, TestIdentities.bob(suite)));
        assertTrue(e.getMessage().contains("16-byte tag"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void open_authenticatedAttributes_areCoveredByTheTag(Suite suite) throws Exception {
        Identity bob = TestIdentities.bob(suite);
        byte[] signed = Signing.sign(CONTENT, TestIdentities.alice(suite));
        java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC");
        kpg.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair ephemeral = kpg.generateKeyPair();
        CMSAuthEnvelopedDataGenerator gen = new CMSAuthEnvelopedDataGenerator();
        gen.addRecipientInfoGenerator(suite == Suite.RSA
                ? new JceKeyTransRecipientInfoGenerator(bob.encryptionCertificate(),
                        new org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_RSAES_OAEP, new javax.crypto.spec.OAEPParameterSpec("SHA-256", "MGF1",
                                        java.security.spec.MGF1ParameterSpec.SHA256, javax.crypto.spec.PSource.PSpecified.DEFAULT)))
                        .setProvider(Providers.bc())
                : new org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                        ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                        .setProvider(Providers.bc()).addRecipient(bob.encryptionCertificate()));
        gen.setAuthenticatedAttributeGenerator(new SimpleAttributeTableGenerator(new AttributeTable(
                new Attribute(CMSAttributes.contentType, new DERSet(CMSObjectIdentifiers.data)))));
        // Bouncy Castle writes authAttrs to the AAD after the content, which the JDK's GCM does not
        // allow, so this message is built with Bouncy Castle's own AES-GCM.
        byte[] sealed = gen.generate(new CMSProcessableByteArray(signed), gcm(Providers.bc())).getEncoded();
        assertArrayEquals(CONTENT, openAsBob(sealed, suite));

        // Change the authenticated attribute's OID (id-data 1.2.840.113549.1.7.1 -> ...7.2) and re-encode.
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ContentInfo.getInstance(sealed).getContent());
        DERSet otherAttrs = new DERSet(new Attribute(CMSAttributes.contentType, new DERSet(CMSObjectIdentifiers.signedData)));
        byte[] bad = new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, new AuthEnvelopedData(aed.getOriginatorInfo(),
                aed.getRecipientInfos(), aed.getAuthEncryptedContentInfo(), otherAttrs, aed.getMac(), aed.getUnauthAttrs())).getEncoded(ASN1Encoding.DER);
        assertThrows(DecryptionFailedException.class, () -> Smime.decrypt(bad, bob));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void open_smimeEntityAroundSealedMessage_accepted(Suite suite) throws Exception {
        String entity = "MIME-Version: 1.0\r\nContent-Disposition: attachment; filename=\"smime.p7m\"\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data;\r\n name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(sealToBob(suite)) + "\r\n";
        assertArrayEquals(CONTENT, openAsBob(entity.getBytes(StandardCharsets.US_ASCII), suite));
    }

    @Test
    void exceptionMessages_areOneLineAndFixed() {
        assertEquals("decryption failed: the message was modified or damaged", new DecryptionFailedException().getMessage());
        assertEquals("this message is not encrypted to your key", new NotARecipientException().getMessage());
        assertTrue(new WrongPassphraseException().getMessage().startsWith("wrong passphrase"));
    }

    static OutputAEADEncryptor gcm() throws Exception {
        return gcm(Providers.sunJce());
    }

    static OutputAEADEncryptor gcm(java.security.Provider provider) throws Exception {
        javax.crypto.KeyGenerator kg = javax.crypto.KeyGenerator.getInstance("AES");
        kg.init(256);
        return (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                .setProvider(provider).build(kg.generateKey());
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
