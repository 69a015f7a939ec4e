package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interoperability with the real {@code openssl cms} (3.x), both directions, both suites.
 * Private keys reach openssl as unencrypted PKCS#8 files in a temporary directory.
 */
class OpenSslInteropTest {
    private static final byte[] CONTENT = ("Content-Type: text/plain; charset=UTF-8\r\n\r\n"
            + "Grüße aus OpenSSL und Java.\r\nbinary: \u0000\u00ff\r\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path tmp;

    @BeforeAll
    static void keys() throws Exception {
        OpenSsl.assume();
        for (Suite s : Suite.values()) {
            TestIdentities.export(TestIdentities.alice(s), tmp.resolve(s.id() + "/alice"));
            TestIdentities.export(TestIdentities.bob(s), tmp.resolve(s.id() + "/bob"));
        }
        Files.write(tmp.resolve("content.bin"), CONTENT);
    }

    private static Path dir(Suite s) {
        return tmp.resolve(s.id());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void sealpostSeals_opensslDecryptsAndVerifiesWithSignerCertAsCAfile(Suite suite) throws Exception {
        Path d = dir(suite);
        byte[] sealed = Smime.seal(CONTENT, TestIdentities.alice(suite), List.of(TestIdentities.bob(suite).encryptionCertificate()));
        Files.write(d.resolve("sealed.der"), sealed);
        for (String reader : List.of("bob", "alice")) {
            OpenSsl.ok(d, "cms", "-decrypt", "-inform", "DER", "-in", "sealed.der",
                    "-recip", reader + "/enc-cert.pem", "-inkey", reader + "/enc-key.pem", "-out", reader + "-inner.der");
            OpenSsl.ok(d, "cms", "-verify", "-inform", "DER", "-in", reader + "-inner.der", "-binary",
                    "-CAfile", "alice/sig-cert.pem", "-out", reader + "-content.bin");
            assertArrayEquals(CONTENT, Files.readAllBytes(d.resolve(reader + "-content.bin")), reader);
        }
        // A different trust anchor must not verify.
        assertTrue(OpenSsl.run(d, "cms", "-verify", "-inform", "DER", "-in", "bob-inner.der",
                "-CAfile", "bob/sig-cert.pem", "-out", "/dev/null").exit() != 0);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void opensslVerify_encryptionCertificateChainsToItsSigningCertificateOnly(Suite suite) throws Exception {
        Path d = dir(suite);
        OpenSsl.ok(d, "verify", "-x509_strict", "-CAfile", "alice/sig-cert.pem", "alice/enc-cert.pem");
        assertTrue(OpenSsl.run(d, "verify", "-CAfile", "bob/sig-cert.pem", "alice/enc-cert.pem").exit() != 0);
    }

    @TestFactory
    Stream<DynamicTest> opensslSignsAndEncrypts_sealpostOpens() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Suite suite : Suite.values()) {
            List<String> paddings = suite == Suite.RSA ? List.of("pss", "pkcs1") : List.of("ecdsa");
            for (String padding : paddings) {
                for (String signForm : List.of("DER", "SMIME")) {
                    for (String envForm : List.of("DER", "SMIME")) {
                        String name = suite.id() + " sign=" + padding + "/" + signForm + " envelope=" + envForm;
                        tests.add(dynamicTest(name, () -> opensslToSealpost(suite, padding, signForm, envForm, true)));
                    }
                }
            }
        }
        // OpenSSL's defaults: SHA-1 KDF for ECDH is accepted; PKCS#1 v1.5 key transport is refused.
        tests.add(dynamicTest("p256 default ecdh kdf", () -> opensslToSealpost(Suite.P256, "ecdsa", "DER", "DER", false)));
        tests.add(dynamicTest("rsa default pkcs1 v1.5 key transport is refused", () -> {
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> opensslToSealpost(Suite.RSA, "pss", "DER", "DER", false));
            assertTrue(e.getMessage().contains("RSAES-OAEP"), e.getMessage());
        }));
        return tests.stream();
    }

    private static void opensslToSealpost(Suite suite, String padding, String signForm, String envForm, boolean strongKeyTransport)
            throws Exception {
        Path d = dir(suite);
        String tag = padding + signForm + envForm + strongKeyTransport;
        List<String> sign = new ArrayList<>(List.of("cms", "-sign", "-binary", "-nodetach", "-md", "sha256",
                "-in", tmp.resolve("content.bin").toString(), "-signer", "alice/sig-cert.pem", "-inkey", "alice/sig-key.pem"));
        if (padding.equals("pss")) {
            sign.addAll(List.of("-keyopt", "rsa_padding_mode:pss"));
        }
        sign.addAll(List.of("-outform", signForm, "-out", "signed-" + tag));
        OpenSsl.ok(d, sign.toArray(String[]::new));

        List<String> enc = new ArrayList<>(List.of("cms", "-encrypt", "-aes-256-gcm", "-binary", "-in", "signed-" + tag,
                "-recip", "bob/enc-cert.pem"));
        if (strongKeyTransport) {
            enc.addAll(suite == Suite.RSA
                    ? List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256", "-keyopt", "rsa_mgf1_md:sha256")
                    : List.of("-keyopt", "ecdh_kdf_md:sha256"));
        }
        enc.addAll(List.of("-outform", envForm, "-out", "sealed-" + tag));
        OpenSsl.ok(d, enc.toArray(String[]::new));

        byte[] sealed = Files.readAllBytes(d.resolve("sealed-" + tag));
        Verified v = Smime.decrypt(sealed, TestIdentities.bob(suite)).verify(TestIdentities.alice(suite).signingCertificate());
        assertArrayEquals(CONTENT, v.content());
        assertThrows(NotARecipientException.class, () -> Smime.decrypt(sealed, TestIdentities.alice(suite)));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void opensslSignedByAnotherKey_failsVerification(Suite suite) throws Exception {
        Path d = dir(suite);
        OpenSsl.ok(d, "cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-in", tmp.resolve("content.bin").toString(),
                "-signer", "bob/sig-cert.pem", "-inkey", "bob/sig-key.pem", "-outform", "DER", "-out", "signed-by-bob.der");
        Files.write(d.resolve("sealed-by-bob.der"), Enveloping.envelope(Files.readAllBytes(d.resolve("signed-by-bob.der")),
                List.of(TestIdentities.bob(suite).encryptionCertificate())));
        Envelope e = Smime.decrypt(Files.readAllBytes(d.resolve("sealed-by-bob.der")), TestIdentities.bob(suite));
        VerificationFailedException ex = assertThrows(VerificationFailedException.class,
                () -> e.verify(TestIdentities.alice(suite).signingCertificate()));
        assertTrue(ex.getMessage().startsWith("signed by a different key"), ex.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void opensslCbcEnvelopedData_refused(Suite suite) throws Exception {
        Path d = dir(suite);
        List<String> enc = new ArrayList<>(List.of("cms", "-encrypt", "-aes-256-cbc", "-binary", "-in", tmp.resolve("content.bin").toString(),
                "-recip", "bob/enc-cert.pem"));
        if (suite == Suite.RSA) {
            enc.addAll(List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"));
        }
        enc.addAll(List.of("-outform", "DER", "-out", "cbc.der"));
        OpenSsl.ok(d, enc.toArray(String[]::new));
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> Smime.decrypt(Files.readAllBytes(d.resolve("cbc.der")), TestIdentities.bob(suite)));
        assertTrue(e.getMessage().contains("AuthEnvelopedData"), e.getMessage());
    }
}
