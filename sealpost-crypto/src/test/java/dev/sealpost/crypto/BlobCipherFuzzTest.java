package dev.sealpost.crypto;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.testkit.FuzzBugs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fuzz target for decrypting a streamed file (blob) that was truncated, garbled or lied about:
 * what a bundle or a relay download hands to {@link BlobCipher#decrypt}.
 */
class BlobCipherFuzzTest {
    /** The key the seeds were encrypted with ({@link FuzzSeeds}). */
    static final byte[] IKM = new byte[32];
    static {
        for (int i = 0; i < IKM.length; i++) {
            IKM[i] = (byte) (i * 7 + 1);
        }
    }

    /**
     * The blob is the input less its last 4 bytes (FuzzedDataProvider reads primitives from the end); they say which size was signed (the
     * blob's own, or one up to 3 MiB) and whether the signed digest is the blob's own (so that
     * decryption gets as far as the tags) or a wrong one.
     */
    @FuzzTest
    void decrypt(FuzzedDataProvider in) throws NoSuchAlgorithmException {
        boolean ownSize = in.consumeBoolean();
        long declared = in.consumeLong(0, 3L << 20);
        byte[] blob = in.consumeRemainingAsBytes();
        long size = ownSize ? blob.length : declared;
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
        try {
            BlobCipher.decrypt(IKM, Channels.newChannel(new java.io.ByteArrayInputStream(blob)), size, digest,
                    Channels.newChannel(OutputStream.nullOutputStream()), null);
        } catch (BlobIntegrityException e) {
            FuzzBugs.rethrowOurs(e);
        } catch (IOException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }
}
