package dev.sealpost.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.testkit.FuzzBugs;
import java.io.IOException;

/**
 * Fuzz targets for PEM reading: certificates come from the relay's key directory and from
 * {@code --from CERT} files, encrypted private keys from the identity folder.
 */
class PemFuzzTest {
    private static final char[] PASSPHRASE = "fuzz passphrase".toCharArray();

    /** {@link Pem#decodeCertificate}: PEM text or DER. */
    @FuzzTest
    void certificate(byte[] pemOrDer) {
        try {
            Pem.decodeCertificate(pemOrDer).getPublicKey();
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }

    /**
     * {@link EncryptedKeyPem#decrypt}: an encrypted PKCS#8 key file. Seeds use few PBKDF2
     * iterations so that mutations stay fast; the parser allows up to 10 million.
     */
    @FuzzTest
    void encryptedKey(byte[] pem) {
        try {
            EncryptedKeyPem.decrypt(pem, PASSPHRASE);
        } catch (IOException | WrongPassphraseException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }
}
