package dev.sealpost.client;

import dev.sealpost.crypto.BlobCipher;
import dev.sealpost.crypto.BlobIntegrityException;
import dev.sealpost.crypto.BlobSecret;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * The one implementation of what happens to a streamed file on either side of a transport:
 * the deflate decision and compression, encryption into a blob (AES-GCM-HKDF streaming,
 * {@link BlobCipher}), the signed {@link BlobRef}, and decryption with inflation into a file of
 * an {@link AttachmentWriter.Batch}. Used alike by the relay path (tus uploads, ranged
 * downloads) and the offline bundle.
 */
final class Blobs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Blobs() {}

    /** @return a fresh secret for one blob */
    static BlobSecret newSecret() {
        return BlobSecret.generate(RANDOM);
    }

    /**
     * Deflates {@code original} into {@code spool} when that is worth it ({@link Deflate#worthIt}).
     *
     * @param spool where a compressed copy goes; replaced if it exists
     * @return the encoding of the blob: {@link Deflate#DEFLATE} if {@code spool} now holds the
     *         compressed copy, else {@link Deflate#IDENTITY}
     * @throws IOException if {@code original} cannot be read or {@code spool} written
     */
    static String encode(OutgoingFile original, Path spool, Progress progress) throws IOException {
        Files.deleteIfExists(spool);
        if (!Deflate.worthIt(original)) {
            return Deflate.IDENTITY;
        }
        try (Progress.Task task = progress.start("compress " + shortName(original.name()), original.size())) {
            Deflate.compress(original.path(), spool, task);
        }
        return Deflate.DEFLATE;
    }

    /** @return the file whose bytes the blob encrypts: {@code original}, or its compressed copy in {@code spool} */
    static OutgoingFile payload(OutgoingFile original, Path spool, String encoding) throws IOException {
        return Deflate.DEFLATE.equals(encoding) ? OutgoingFile.of(spool, original.name()) : original;
    }

    /** @return the signed reference to the blob of {@code original} */
    static BlobRef ref(OutgoingFile original, OutgoingFile payload, String blobId, byte[] sha256, BlobSecret secret) {
        boolean compressed = payload != original;
        return new BlobRef(original.name(), original.mediaType(), original.size(), blobId, sha256, secret.ikm(),
                compressed ? Deflate.DEFLATE : Deflate.IDENTITY, payload.size());
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
        } catch (EOFException e) {
            throw new IOException(file.path() + " became shorter while it was being sent", e);
        }
    }

    /**
     * Decrypts and verifies {@code ref}'s ciphertext, read from {@code in}, inflating it if the
     * blob is compressed, into a new file of {@code batch} registered under the signed name.
     *
     * @throws BlobIntegrityException if a segment or the signed digest does not verify; the
     *                                partial file is deleted with the batch
     */
    static void decryptInto(AttachmentWriter.Batch batch, BlobRef ref, ReadableByteChannel in, Progress progress)
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

    /**
     * Registers a blob's verified plaintext, held in {@code plaintext}, in {@code batch}: inflated
     * into a new file if the blob is compressed, else adopted as it is (hard-linked).
     */
    static void place(AttachmentWriter.Batch batch, BlobRef ref, Path plaintext) throws IOException {
        if (!ref.compressed()) {
            batch.adopt(ref.filename(), plaintext);
            return;
        }
        Path tmp = batch.newTemp();
        try (FileChannel in = FileChannel.open(plaintext);
             FileChannel dst = FileChannel.open(tmp, StandardOpenOption.WRITE);
             Deflate.InflatingChannel inflating = new Deflate.InflatingChannel(dst, ref.size())) {
            in.transferTo(0, in.size(), inflating);
            inflating.finish();
            if (batch.durable()) {
                dst.force(true);
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
