package dev.sealpost.client;

import dev.sealpost.crypto.BlobCipher;
import dev.sealpost.crypto.BlobIntegrityException;
import dev.sealpost.crypto.BlobSecret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/** Encrypting a file into a blob and a blob back into a file of a {@link AttachmentWriter.Batch}. */
final class Blobs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Blobs() {}

    /** @return a fresh secret for one blob */
    static BlobSecret newSecret() {
        return BlobSecret.generate(RANDOM);
    }

    /**
     * Encrypts {@code file} with {@code secret}, writing ciphertext bytes from {@code skip} on.
     *
     * @return SHA-256 of the whole ciphertext
     * @throws IOException if the file cannot be read or is shorter than when it was chosen
     */
    static byte[] encrypt(OutgoingFile file, BlobSecret secret, long skip, WritableByteChannel sink, Progress.Task task)
            throws IOException {
        try (FileChannel in = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            return BlobCipher.encrypt(secret, in, file.size(), skip, sink, task::update);
        } catch (java.io.EOFException e) {
            throw new IOException(file.path() + " became shorter while it was being sent", e);
        }
    }

    /**
     * Decrypts and verifies {@code ref}'s ciphertext, read from {@code in} at its position, into
     * a new file of {@code batch} registered under the signed name.
     *
     * @throws BlobIntegrityException if a segment or the signed digest does not verify; the
     *                                partial file is deleted with the batch
     */
    static void decryptInto(AttachmentWriter.Batch batch, BlobRef ref, FileChannel in, Progress progress)
            throws IOException, BlobIntegrityException {
        Path tmp = batch.newTemp();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE);
             Progress.Task task = progress.start("verify " + shortName(ref.filename()), ref.encodedSize())) {
            if (ref.compressed()) {
                try (Deflate.InflatingChannel inflating = new Deflate.InflatingChannel(out, ref.size())) {
                    BlobCipher.decrypt(ref.key(), in, ref.ciphertextSize(), ref.sha256(), inflating, task::update);
                    inflating.finish();
                }
            } else {
                BlobCipher.decrypt(ref.key(), in, ref.ciphertextSize(), ref.sha256(), out, task::update);
            }
            if (batch.durable()) {
                out.force(true);
            }
        }
        batch.add(ref.filename(), tmp);
    }

    /** A name short enough for a progress label. */
    static String shortName(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        return n.length() > 32 ? n.substring(0, 29) + "..." : n;
    }

    /** A channel that discards what is written (to recompute a digest without sending). */
    static final WritableByteChannel DISCARD = new WritableByteChannel() {
        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    };
}
