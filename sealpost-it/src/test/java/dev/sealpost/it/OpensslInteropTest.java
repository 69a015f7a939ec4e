package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sealpost.media.SampleImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line against the real {@code openssl} binary, both directions, for the RSA and
 * P-256 suites: OpenSSL opens what {@code sealpost seal} writes, and {@code sealpost open}
 * opens what {@code openssl cms -sign | openssl cms -encrypt -aes-256-gcm} makes.
 */
class OpensslInteropTest {
    @TempDir Path root;

    @BeforeAll
    static void needsOpenssl() {
        assumeTrue(run(List.of("openssl", "version"), null, null).code == 0, "openssl is not installed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "p256"})
    void opensslDecryptsAndVerifies_whatSealpostSealed(String suite) throws Exception {
        Cli.Person alice = person("alice", suite);
        Cli.Person bob = person("bob", suite);
        Path image = Files.write(root.resolve("tiny.png"), SampleImages.png(32, 32));
        Path sealed = root.resolve("m.p7m");
        alice.must("seal", "--to", certs().resolve("bob-enc-cert.pem").toString(), "-m", "Hello from sealpost",
                "--image", image.toString(), "-o", sealed.toString());

        Path signed = root.resolve("signed.der");
        Proc dec = run(List.of("openssl", "cms", "-decrypt", "-inform", "DER", "-in", sealed.toString(),
                "-recip", certs().resolve("bob-enc-cert.pem").toString(),
                "-inkey", bob.home().resolve("identity/enc-key.pem").toString(), "-passin", "env:KEYPASS",
                "-out", signed.toString()), "passphrase of bob", null);
        assertEquals(0, dec.code, dec.err);
        Path content = root.resolve("content.mime");
        Proc ver = run(List.of("openssl", "cms", "-verify", "-inform", "DER", "-in", signed.toString(),
                "-CAfile", certs().resolve("alice-sig-cert.pem").toString(), "-binary",
                "-out", content.toString()), null, null);
        assertEquals(0, ver.code, ver.err);
        assertTrue(ver.err.contains("Verification successful"), ver.err);
        String mime = Files.readString(content, StandardCharsets.ISO_8859_1);
        assertTrue(mime.contains("From: alice@sealpost") && mime.contains("Hello from sealpost")
                && mime.contains("filename=tiny.png"), mime);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "p256"})
    void sealpostOpens_whatOpensslSignedAndEncrypted(String suite) throws Exception {
        Cli.Person alice = person("alice", suite);
        Cli.Person bob = person("bob", suite);
        Path mime = Files.writeString(root.resolve("letter.mime"), String.join("\r\n",
                "From: alice@sealpost", "To: bob@sealpost", "Date: Sun, 22 Nov 2026 10:00:00 +0000",
                "Message-ID: <interop-" + suite + "@sealpost>", "Subject: from openssl",
                "Content-Type: text/plain; charset=UTF-8", "", "Hello from OpenSSL", ""));

        List<String> sign = new ArrayList<>(List.of("openssl", "cms", "-sign", "-binary", "-nodetach", "-md", "sha256",
                "-in", mime.toString(), "-signer", certs().resolve("alice-sig-cert.pem").toString(),
                "-inkey", alice.home().resolve("identity/sig-key.pem").toString(), "-passin", "env:KEYPASS",
                "-outform", "DER", "-out", root.resolve("signed.der").toString()));
        List<String> encrypt = new ArrayList<>(List.of("openssl", "cms", "-encrypt", "-binary", "-aes-256-gcm",
                "-in", root.resolve("signed.der").toString(), "-outform", "DER", "-out", root.resolve("m.p7m").toString(),
                "-recip", certs().resolve("bob-enc-cert.pem").toString()));
        if (suite.equals("rsa")) {
            sign.addAll(List.of("-keyopt", "rsa_padding_mode:pss"));
            encrypt.addAll(List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256"));
        } else {
            encrypt.addAll(List.of("-keyopt", "ecdh_kdf_md:sha256"));
        }
        Proc s = run(sign, "passphrase of alice", null);
        assertEquals(0, s.code, s.err);
        Proc e = run(encrypt, null, null);
        assertEquals(0, e.code, e.err);

        Cli.Result r = bob.must("open", root.resolve("m.p7m").toString(),
                "--from", certs().resolve("alice-sig-cert.pem").toString(), "--out", root.resolve("out").toString());

        assertTrue(r.out().contains("signature verified: alice") && r.out().contains("Hello from OpenSSL"), r.toString());
    }

    /** init + export into root/certs, small keys for speed */
    private Cli.Person person(String name, String suite) {
        Cli.Person p = Cli.Person.at(root, name);
        p.must("init", "--name", name, "--suite", suite, "--rsa-bits", "2048");
        p.must("export", "--certs", certs().toString());
        return p;
    }

    private Path certs() {
        return root.resolve("certs");
    }

    record Proc(int code, String out, String err) {}

    static Proc run(List<String> cmd, String keyPass, byte[] stdin) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (keyPass != null) {
                pb.environment().put("KEYPASS", keyPass);
            }
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Proc(-1, "", "timed out");
            }
            return new Proc(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Proc(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Proc(-1, "", "interrupted");
        }
    }
}
