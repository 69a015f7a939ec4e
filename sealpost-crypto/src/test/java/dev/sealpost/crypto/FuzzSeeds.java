package dev.sealpost.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Writes the fuzz identities and the seed corpus of this module's fuzz targets into
 * src/test/resources. Run once by hand from the module folder (the committed files are the
 * corpus; rerunning replaces the identities and so every seed):
 * <pre>
 * ./mvnw -o -q -pl sealpost-crypto -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * cd sealpost-crypto &amp;&amp; java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.sealpost.crypto.FuzzSeeds
 * </pre>
 * The encrypted-key seeds (PemFuzzTestInputs/encryptedKey) were made with {@code openssl pkcs8 -topk8 -v2 aes-256-cbc
 * -iter 1000} and the like, from the identities' keys: few PBKDF2 iterations keep each run fast.
 */
final class FuzzSeeds {
    private FuzzSeeds() {}

    public static void main(String[] args) throws Exception {
        Path res = Path.of("src/test/resources/dev/sealpost/crypto");
        Identity p256 = Identity.generate("fuzz-p256", Suite.P256);
        Identity rsa = Identity.generate("fuzz-rsa", Suite.RSA, 2048);
        TestIdentities.export(p256, res.resolve("fuzz-identities/fuzz-p256"));
        TestIdentities.export(rsa, res.resolve("fuzz-identities/fuzz-rsa"));

        byte[] letter = ("From: fuzz-p256\r\nTo: fuzz-rsa\r\nDate: Sun, 6 Dec 2026 12:00:00 +0000\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
        Path decrypt = res.resolve("SmimeFuzzTestInputs/decrypt");
        byte[] toP256 = Smime.seal(letter, p256, List.of(p256.encryptionCertificate()));
        byte[] toRsa = Smime.seal(letter, rsa, List.of(rsa.encryptionCertificate()));
        byte[] toBoth = Smime.seal(letter, rsa, List.of(p256.encryptionCertificate(), rsa.encryptionCertificate()));
        write(decrypt.resolve("p256-to-self.der"), toP256);
        write(decrypt.resolve("rsa-to-self.der"), toRsa);
        write(decrypt.resolve("rsa-to-both.der"), toBoth);
        write(decrypt.resolve("p256-to-self.smime"), smimeEntity(toP256));
        write(decrypt.resolve("truncated.der"), Arrays.copyOf(toRsa, toRsa.length / 2));

        Path verify = res.resolve("SmimeFuzzTestInputs/verify");
        write(verify.resolve("signed-p256.der"), Smime.decrypt(toP256, p256).signedDataEncoding());
        write(verify.resolve("signed-rsa.der"), Smime.decrypt(toRsa, rsa).signedDataEncoding());
        write(verify.resolve("signed-p256.smime"), smimeEntity(Smime.decrypt(toP256, p256).signedDataEncoding()));

        Path cert = res.resolve("PemFuzzTestInputs/certificate");
        write(cert.resolve("sig-cert.pem"), Pem.encodeCertificate(rsa.signingCertificate()).getBytes(StandardCharsets.US_ASCII));
        write(cert.resolve("enc-cert.der"), p256.encryptionCertificate().getEncoded());

        Path blob = res.resolve("BlobCipherFuzzTestInputs/decrypt");
        BlobSecret secret = new BlobSecret(BlobCipherFuzzTest.IKM, filled(32, 3), filled(7, 5));
        for (int size : new int[] {0, 1, 100, 1000}) {
            byte[] c = encrypt(secret, filled(size, size));
            // FuzzedDataProvider reads primitives from the end: 3 bytes of declared size, then the boolean "own size".
            write(blob.resolve("blob-" + size), concat(c, new byte[] {0, 0, 0, 1}));
        }
        byte[] c = encrypt(secret, filled(1000, 1000));
        write(blob.resolve("truncated"), concat(Arrays.copyOf(c, 600), new byte[] {0, 0, 0, 1}));
        write(blob.resolve("declared-longer"), concat(c, new byte[] {0x10, 0x00, 0x00, 0}));
    }

    private static byte[] encrypt(BlobSecret secret, byte[] plaintext) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BlobCipher.encrypt(secret, Channels.newChannel(new ByteArrayInputStream(plaintext)), plaintext.length, 0,
                Channels.newChannel(out), null);
        return out.toByteArray();
    }

    private static byte[] smimeEntity(byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("MIME-Version: 1.0\r\nContent-Disposition: attachment; filename=\"smime.p7m\"\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data; name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] filled(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
