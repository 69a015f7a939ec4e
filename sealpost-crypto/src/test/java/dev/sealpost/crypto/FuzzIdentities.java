package dev.sealpost.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The fixed identities the fuzz targets open messages with, read from test resources
 * ({@code fuzz-identities/NAME/}, unencrypted test keys written by {@link FuzzSeeds}), so that the
 * committed seed messages decrypt and verify in every run.
 */
final class FuzzIdentities {
    private FuzzIdentities() {}

    static final Identity P256 = load("fuzz-p256", Suite.P256);
    static final Identity RSA = load("fuzz-rsa", Suite.RSA);

    private static Identity load(String name, Suite suite) {
        try {
            X509Certificate sigCert = Pem.decodeCertificate(resource(name, "sig-cert.pem"));
            X509Certificate encCert = Pem.decodeCertificate(resource(name, "enc-cert.pem"));
            return new Identity(name, suite,
                    new KeyPair(sigCert.getPublicKey(), privateKey(resource(name, "sig-key.pem"), sigCert)), sigCert,
                    new KeyPair(encCert.getPublicKey(), privateKey(resource(name, "enc-key.pem"), encCert)), encCert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.security.PrivateKey privateKey(byte[] pem, X509Certificate cert) throws GeneralSecurityException {
        String body = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
        return KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static byte[] resource(String name, String file) throws IOException {
        try (InputStream in = FuzzIdentities.class.getResourceAsStream("fuzz-identities/" + name + "/" + file)) {
            if (in == null) {
                throw new IOException("missing test resource fuzz-identities/" + name + "/" + file);
            }
            return in.readAllBytes();
        }
    }
}
