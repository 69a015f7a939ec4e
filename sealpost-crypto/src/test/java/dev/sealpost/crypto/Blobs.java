package dev.sealpost.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/** Test helpers for {@link BlobCipher}: in-memory channels, reproducible data, the boundary sizes. */
final class Blobs {
    private Blobs() {}

    static final int SEG = BlobCipher.SEGMENT_BYTES;
    /** Plaintext bytes in the first segment. */
    static final int FIRST = SEG - BlobCipher.HEADER_BYTES - BlobCipher.TAG_BYTES;
    /** Plaintext bytes in each later segment. */
    static final int LATER = SEG - BlobCipher.TAG_BYTES;

    /** 0, 1, the first segment's size −1/exact/+1, the second segment's end −1/exact/+1, 3.5 MiB. */
    static long[] boundarySizes() {
        return new long[] {0, 1, FIRST - 1, FIRST, FIRST + 1, FIRST + LATER - 1, FIRST + LATER, FIRST + LATER + 1,
            FIRST + 2L * LATER, 7L * SEG / 2};
    }

    static byte[] data(long size, long seed) {
        byte[] b = new byte[Math.toIntExact(size)];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    static BlobSecret secret(long seed) {
        return new BlobSecret(data(32, seed), data(32, seed + 1), data(7, seed + 2));
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Ciphertext bytes written and the digest returned by one {@link BlobCipher#encrypt}. */
    record Sealed(byte[] ciphertext, byte[] digest) {}

    static Sealed encrypt(BlobSecret secret, byte[] plaintext, long skip) throws IOException {
        return encrypt(secret, plaintext, skip, null);
    }

    static Sealed encrypt(BlobSecret secret, byte[] plaintext, long skip, LongConsumer progress) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] digest = BlobCipher.encrypt(secret, Channels.newChannel(new ByteArrayInputStream(plaintext)),
                plaintext.length, skip, Channels.newChannel(out), progress);
        return new Sealed(out.toByteArray(), digest);
    }

    static byte[] decrypt(byte[] ikm, byte[] ciphertext, long ciphertextSize, byte[] digest)
            throws IOException, BlobIntegrityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BlobCipher.decrypt(ikm, Channels.newChannel(new ByteArrayInputStream(ciphertext)), ciphertextSize, digest,
                Channels.newChannel(out), null);
        return out.toByteArray();
    }

    /** Names of live threads that BlobCipher starts. */
    static long liveBlobThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("sealpost-blob-"))
                .count();
    }
}
