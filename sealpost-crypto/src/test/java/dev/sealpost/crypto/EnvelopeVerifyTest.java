package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAlgorithmProtection;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SignedData built by hand, sealed to Bob, then opened: which signatures sealpost accepts and refuses. */
class EnvelopeVerifyTest {
    private static final byte[] CONTENT = "signed words".getBytes(StandardCharsets.US_ASCII);

    private static final Identity ALICE = TestIdentities.alice(Suite.RSA);
    private static final Identity BOB = TestIdentities.bob(Suite.RSA);

    private static JcaSignerInfoGeneratorBuilder builder() throws Exception {
        return new JcaSignerInfoGeneratorBuilder(Signing.jdkDigests());
    }

    private static SignerInfoGenerator signer(String algorithm, PrivateKey key, X509Certificate cert) throws Exception {
        return builder().build(new JcaContentSignerBuilder(algorithm).setProvider(Providers.bc()).build(key), cert);
    }

    private static byte[] signedData(byte[] content, boolean encapsulate, SignerInfoGenerator... signers) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        for (SignerInfoGenerator s : signers) {
            gen.addSignerInfoGenerator(s);
        }
        gen.addCertificate(new JcaX509CertificateHolder(ALICE.signingCertificate()));
        return gen.generate(new CMSProcessableByteArray(content), encapsulate).toASN1Structure().getEncoded(ASN1Encoding.DER);
    }

    /** Encrypts arbitrary inner bytes to Bob and decrypts them again. */
    private static Envelope throughBob(byte[] inner) throws Exception {
        return Smime.decrypt(Enveloping.envelope(inner, List.of(BOB.encryptionCertificate())), BOB);
    }

    @Test
    void verify_rsaPkcs1v15WithSha256_accepted() throws Exception {
        byte[] sd = signedData(CONTENT, true, signer("SHA256withRSA", ALICE.signingKey(), ALICE.signingCertificate()));
        assertArrayEquals(CONTENT, throughBob(sd).verify(ALICE.signingCertificate()).content());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void verify_signerIdentifiedBySubjectKeyIdentifier_accepted(Suite suite) throws Exception {
        Identity a = TestIdentities.alice(suite);
        String alg = suite == Suite.RSA ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(a.signingCertificate().getPublicKey()).getKeyIdentifier();
        SignerInfoGenerator g = builder().build(new JcaContentSignerBuilder(alg).setProvider(Providers.bc()).build(a.signingKey()), ski);
        byte[] sd = signedData(CONTENT, true, g);
        assertArrayEquals(CONTENT, throughBob(sd).verify(a.signingCertificate()).content());
    }

    @Test
    void verify_sha1_refused() throws Exception {
        byte[] sd = signedData(CONTENT, true, signer("SHA1withRSA", ALICE.signingKey(), ALICE.signingCertificate()));
        VerificationFailedException e = assertThrows(VerificationFailedException.class, () -> throughBob(sd).verify(ALICE.signingCertificate()));
        assertTrue(e.getMessage().startsWith("unsupported digest algorithm"), e.getMessage());
    }

    @Test
    void verify_pssWithSha1_refused() throws Exception {
        SignerInfoGenerator g = builder().setContentDigest(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256))
                .build(new JcaContentSignerBuilder("SHA1withRSAandMGF1").setProvider(Providers.bc()).build(ALICE.signingKey()), ALICE.signingCertificate());
        byte[] sd = signedData(CONTENT, true, g);
        VerificationFailedException e = assertThrows(VerificationFailedException.class, () -> throughBob(sd).verify(ALICE.signingCertificate()));
        assertTrue(e.getMessage().startsWith("unsupported signature algorithm"), e.getMessage());
    }

    @Test
    void verify_twoSigners_refused() throws Exception {
        Identity carol = TestIdentities.carol(Suite.RSA);
        byte[] sd = signedData(CONTENT, true,
                signer("SHA256withRSA", ALICE.signingKey(), ALICE.signingCertificate()),
                signer("SHA256withRSA", carol.signingKey(), carol.signingCertificate()));
        Envelope envelope = throughBob(sd);
        assertEquals(Optional.empty(), envelope.claimedSignerCertificate());
        VerificationFailedException e = assertThrows(VerificationFailedException.class, () -> envelope.verify(ALICE.signingCertificate()));
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
    }

    @Test
    void verify_withoutSignedAttributes_refused() throws Exception {
        SignerInfoGenerator g = builder().setDirectSignature(true)
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(Providers.bc()).build(ALICE.signingKey()), ALICE.signingCertificate());
        byte[] sd = signedData(CONTENT, true, g);
        VerificationFailedException e = assertThrows(VerificationFailedException.class, () -> throughBob(sd).verify(ALICE.signingCertificate()));
        assertTrue(e.getMessage().contains("no signed attributes"), e.getMessage());
    }

    @Test
    void verify_signatureByAnotherKeyUnderTheTrustedIdentifier_fails() throws Exception {
        Identity carol = TestIdentities.carol(Suite.RSA);
        byte[] sd = signedData(CONTENT, true, signer("SHA256withRSA", carol.signingKey(), ALICE.signingCertificate()));
        VerificationFailedException e = assertThrows(VerificationFailedException.class, () -> throughBob(sd).verify(ALICE.signingCertificate()));
        assertTrue(e.getMessage().startsWith("signature does not verify"), e.getMessage());
    }

    @Test
    void verify_contentReplacedAfterSigning_fails() throws Exception {
        SignedData sd = SignedData.getInstance(ContentInfo.getInstance(Signing.sign(CONTENT, ALICE)).getContent());
        SignedData swapped = new SignedData(sd.getDigestAlgorithms(),
                new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString("other words!".getBytes(StandardCharsets.US_ASCII))),
                sd.getCertificates(), sd.getCRLs(), sd.getSignerInfos());
        byte[] inner = new ContentInfo(CMSObjectIdentifiers.signedData, swapped).getEncoded(ASN1Encoding.DER);
        VerificationFailedException e = assertThrows(VerificationFailedException.class, () -> throughBob(inner).verify(ALICE.signingCertificate()));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void verify_algorithmProtectionNamingAnotherAlgorithm_fails() throws Exception {
        CMSAlgorithmProtection wrong = new CMSAlgorithmProtection(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256),
                CMSAlgorithmProtection.SIGNATURE, new AlgorithmIdentifier(PKCSObjectIdentifiers.sha512WithRSAEncryption));
        // Replaced after the default generator ran: it always writes its own CMSAlgorithmProtection.
        SignerInfoGenerator g = builder().setSignedAttributeGenerator(params -> new DefaultSignedAttributeTableGenerator()
                        .getAttributes(params).remove(CMSAttributes.cmsAlgorithmProtect).add(CMSAttributes.cmsAlgorithmProtect, wrong))
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(Providers.bc()).build(ALICE.signingKey()), ALICE.signingCertificate());
        byte[] sd = signedData(CONTENT, true, g);
        VerificationFailedException e = assertThrows(VerificationFailedException.class, () -> throughBob(sd).verify(ALICE.signingCertificate()));
        assertTrue(e.getCause().getMessage().contains("CMS Algorithm Protection"), e.getCause().getMessage());
    }

    @Test
    void verify_signingTimeOutsideCertificateValidity_fails() throws Exception {
        AttributeTable attrs = new AttributeTable(new Attribute(CMSAttributes.signingTime,
                new DERSet(new Time(Date.from(Instant.parse("2001-01-01T00:00:00Z"))))));
        SignerInfoGenerator g = builder().setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(attrs))
                .build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(Providers.bc()).build(ALICE.signingKey()), ALICE.signingCertificate());
        byte[] sd = signedData(CONTENT, true, g);
        VerificationFailedException e = assertThrows(VerificationFailedException.class, () -> throughBob(sd).verify(ALICE.signingCertificate()));
        assertTrue(e.getMessage().contains("signing time"), e.getMessage());
    }

    @Test
    void verify_withoutSigningTime_returnsNullTime() throws Exception {
        SignerInfoGenerator g = builder().setSignedAttributeGenerator(params -> {
            AttributeTable t = new DefaultSignedAttributeTableGenerator().getAttributes(params);
            return t.remove(CMSAttributes.signingTime);
        }).build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(Providers.bc()).build(ALICE.signingKey()), ALICE.signingCertificate());
        Verified v = throughBob(signedData(CONTENT, true, g)).verify(ALICE.signingCertificate());
        assertNull(v.signingTime());
    }

    @Test
    void decrypt_detachedSignature_malformed() throws Exception {
        byte[] sd = signedData(CONTENT, false, signer("SHA256withRSA", ALICE.signingKey(), ALICE.signingCertificate()));
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> throughBob(sd));
        assertTrue(e.getMessage().contains("detached"), e.getMessage());
    }

    @Test
    void decrypt_signedContentNotIdData_malformed() throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(signer("SHA256withRSA", ALICE.signingKey(), ALICE.signingCertificate()));
        byte[] sd = gen.generate(new CMSProcessableByteArray(new ASN1ObjectIdentifier("1.2.3.4"), CONTENT), true).getEncoded();
        assertThrows(MalformedMessageException.class, () -> throughBob(sd));
    }

    @Test
    void decrypt_innerNotSignedData_malformed() throws Exception {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> throughBob("hello".getBytes()));
        assertTrue(e.getMessage().contains("signed content"), e.getMessage());
        byte[] data = new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(CONTENT)).getEncoded();
        e = assertThrows(MalformedMessageException.class, () -> throughBob(data));
        assertTrue(e.getMessage().contains("not signed"), e.getMessage());
    }

    @Test
    void decrypt_innerSmimeEntity_accepted() throws Exception {
        String entity = "MIME-Version: 1.0\nContent-Type: application/x-pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"\n"
                + "Content-Transfer-Encoding: base64\n\n" + Base64.getMimeEncoder().encodeToString(Signing.sign(CONTENT, ALICE)) + "\n";
        assertArrayEquals(CONTENT, throughBob(entity.getBytes(StandardCharsets.US_ASCII)).verify(ALICE.signingCertificate()).content());
    }

    @Test
    void envelope_toString_revealsNothing() throws Exception {
        assertEquals("Envelope[unverified]", throughBob(Signing.sign(CONTENT, ALICE)).toString());
    }
}
