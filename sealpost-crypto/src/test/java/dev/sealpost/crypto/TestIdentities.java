package dev.sealpost.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identities shared by all tests in one JVM (RSA-2048 so that generation stays fast), and a
 * test-only export of private keys as unencrypted PKCS#8 PEM for the openssl command line.
 */
final class TestIdentities {
    private TestIdentities() {}

    private static final Map<String, Identity> CACHE = new ConcurrentHashMap<>();

    static Identity get(String name, Suite suite) {
        return CACHE.computeIfAbsent(name + "/" + suite, k -> Identity.generate(name, suite, 2048));
    }

    static Identity alice(Suite suite) {
        return get("alice", suite);
    }

    static Identity bob(Suite suite) {
        return get("bob", suite);
    }

    static Identity carol(Suite suite) {
        return get("carol", suite);
    }

    /** Writes sig-cert.pem, enc-cert.pem and unencrypted sig-key.pem, enc-key.pem into {@code dir}. */
    static Path export(Identity id, Path dir) throws IOException, KeyUnlockException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("sig-cert.pem"), Pem.encodeCertificate(id.signingCertificate()));
        Files.writeString(dir.resolve("enc-cert.pem"), Pem.encodeCertificate(id.encryptionCertificate()));
        Files.writeString(dir.resolve("sig-key.pem"), unencryptedPem(id.signingKey()));
        Files.writeString(dir.resolve("enc-key.pem"), unencryptedPem(id.encryptionKey()));
        return dir;
    }

    static String unencryptedPem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
