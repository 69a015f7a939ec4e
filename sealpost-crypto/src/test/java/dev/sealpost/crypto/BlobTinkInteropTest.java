package dev.sealpost.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BlobCipher} against Google's own implementation of the format, {@code
 * com.google.crypto.tink.subtle.AesGcmHkdfStreaming} with HKDF-SHA256, 32-byte keys, 1 MiB
 * segments, offset 0 and empty associated data.
 */
class BlobTinkInteropTest {
    private static final byte[] NO_AAD = new byte[0];

    static long[] sizes() {
        return Blobs.boundarySizes();
    }

    private static AesGcmHkdfStreaming tink(byte[] ikm) throws Exception {
        return new AesGcmHkdfStreaming(ikm, "HmacSha256", 32, BlobCipher.SEGMENT_BYTES, 0);
    }

    private static byte[] tinkEncrypt(byte[] ikm, byte[] plaintext) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = tink(ikm).newEncryptingStream(out, NO_AAD)) {
            enc.write(plaintext);
        }
        return out.toByteArray();
    }

    private static byte[] tinkDecrypt(byte[] ikm, byte[] ciphertext) throws Exception {
        try (InputStream dec = tink(ikm).newDecryptingStream(new ByteArrayInputStream(ciphertext), NO_AAD)) {
            return dec.readAllBytes();
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void tinkDecryptsOurCiphertext(long size) throws Exception {
        BlobSecret secret = Blobs.secret(size);
        byte[] plaintext = Blobs.data(size, 7);
        Blobs.Sealed sealed = Blobs.encrypt(secret, plaintext, 0);
        assertEquals(tink(secret.ikm()).expectedCiphertextSize(size), sealed.ciphertext().length);
        assertArrayEquals(plaintext, tinkDecrypt(secret.ikm(), sealed.ciphertext()));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void weDecryptTinksCiphertext(long size) throws Exception {
        byte[] ikm = Blobs.data(32, size + 100);
        byte[] plaintext = Blobs.data(size, 8);
        byte[] ciphertext = tinkEncrypt(ikm, plaintext);
        assertEquals(BlobCipher.ciphertextSize(size), ciphertext.length);
        assertArrayEquals(plaintext, Blobs.decrypt(ikm, ciphertext, ciphertext.length, Blobs.sha256(ciphertext)));
    }

    /**
     * Tink draws salt and nonce prefix at random; given the ones in its header, our encryption must
     * reproduce its ciphertext byte for byte. This pins down every detail, including that a
     * plaintext that exactly fills its segments ends with a full last segment, not an empty one.
     */
    @ParameterizedTest
    @MethodSource("sizes")
    void withTinksSaltAndNoncePrefix_ourCiphertextIsByteIdentical(long size) throws Exception {
        byte[] ikm = Blobs.data(32, size + 200);
        byte[] plaintext = Blobs.data(size, 9);
        byte[] theirs = tinkEncrypt(ikm, plaintext);
        assertEquals(BlobCipher.HEADER_BYTES, theirs[0]);
        BlobSecret secret = new BlobSecret(ikm, Arrays.copyOfRange(theirs, 1, 33), Arrays.copyOfRange(theirs, 33, 40));
        Blobs.Sealed ours = Blobs.encrypt(secret, plaintext, 0);
        assertArrayEquals(theirs, ours.ciphertext());
        assertArrayEquals(Blobs.sha256(theirs), ours.digest());
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void ciphertextSize_matchesTinksExpectedCiphertextSize_aroundTheBoundary(long size) throws Exception {
        AesGcmHkdfStreaming tink = tink(new byte[32]);
        for (long s = Math.max(0, size - 40); s <= size + 40; s++) {
            assertEquals(tink.expectedCiphertextSize(s), BlobCipher.ciphertextSize(s), "plaintext size " + s);
        }
    }
}
