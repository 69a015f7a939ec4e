package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

/** The JDK's RSASSA-PSS against Bouncy Castle's, which sealpost used before and OpenSSL checks in OpenSslInteropTest. */
class JdkPssTest {
    private static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
    private static final Identity ALICE = TestIdentities.alice(Suite.RSA);
    private static final byte[] DATA = "signed attributes".getBytes(StandardCharsets.US_ASCII);

    @Test
    void writesTheAlgorithmIdentifierBouncyCastleWrites() throws Exception {
        ContentSigner bc = new JcaContentSignerBuilder("SHA256withRSAandMGF1", PSS).setProvider(Providers.bc()).build(ALICE.signingKey());
        ContentSigner jdk = JdkPss.signer(ALICE.signingKey(), PSS);
        assertArrayEquals(bc.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER), jdk.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER));
    }

    @Test
    void jdkSignatureVerifiesWithBouncyCastle_andBouncyCastlesWithTheJdk() throws Exception {
        ContentSigner jdk = JdkPss.signer(ALICE.signingKey(), PSS);
        jdk.getOutputStream().write(DATA);
        byte[] jdkSig = jdk.getSignature();
        ContentVerifier bcVerifier = new JcaContentVerifierProviderBuilder().setProvider(Providers.bc())
                .build(ALICE.signingCertificate()).get(jdk.getAlgorithmIdentifier());
        bcVerifier.getOutputStream().write(DATA);
        assertTrue(bcVerifier.verify(jdkSig));

        ContentSigner bc = new JcaContentSignerBuilder("SHA256withRSAandMGF1", PSS).setProvider(Providers.bc()).build(ALICE.signingKey());
        bc.getOutputStream().write(DATA);
        byte[] bcSig = bc.getSignature();
        ContentVerifier jdkVerifier = JdkPss.verifiers(ALICE.signingCertificate()).get(bc.getAlgorithmIdentifier());
        jdkVerifier.getOutputStream().write(DATA);
        assertTrue(jdkVerifier.verify(bcSig));
    }

    @Test
    void changedDataOrSignature_doesNotVerify() throws Exception {
        ContentSigner jdk = JdkPss.signer(ALICE.signingKey(), PSS);
        jdk.getOutputStream().write(DATA);
        byte[] sig = jdk.getSignature();
        ContentVerifier v = JdkPss.verifiers(ALICE.signingCertificate()).get(jdk.getAlgorithmIdentifier());
        v.getOutputStream().write("signed attributeS".getBytes(StandardCharsets.US_ASCII));
        assertFalse(v.verify(sig));
        sig[10] ^= 1;
        ContentVerifier w = JdkPss.verifiers(ALICE.signingCertificate()).get(jdk.getAlgorithmIdentifier());
        w.getOutputStream().write(DATA);
        assertFalse(w.verify(sig));
        assertFalse(JdkPss.verifiers(TestIdentities.bob(Suite.RSA).signingCertificate()).get(jdk.getAlgorithmIdentifier()).verify(new byte[3]));
    }
}
