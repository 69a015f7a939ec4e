package dev.sealpost.client;

import dev.sealpost.crypto.BlobCipher;
import dev.sealpost.crypto.MalformedMessageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline file format for a sealed message whose files are too large to travel inside the
 * S/MIME message: one file holding the blobs and the message that references them.
 *
 * <pre>
 * offset 0          "SEALPOST-BUNDLE1"                      16 bytes, ASCII
 * 16                blob #0 ciphertext (AES-GCM-HKDF streaming, {@link BlobCipher})
 *                   blob #1 ciphertext ... in the order the letter lists them
 * after the blobs   the S/MIME message: DER ContentInfo(AuthEnvelopedData), as {@code seal}
 *                   writes for small messages; its signed letter references blob #N with
 *                   size, SHA-256 and key ({@link BlobRef})
 * last 24 bytes     length of the S/MIME message (8 bytes, big-endian) + "SEALPOST-BUNDLE1"
 * </pre>
 *
 * The blobs come first so a single pass writes the file: the letter, which carries each blob's
 * digest, can only be signed once the blobs are encrypted. Every offset follows from the signed
 * sizes, and the file must end exactly where they say. The S/MIME part can be cut out with
 * {@code tail -c} and opened by {@code openssl cms}; the blobs need sealpost (or Tink).
 * {@link FileDestination} writes it; {@link #open} reads it.
 */
public final class Bundle {
    private static final byte[] MAGIC = "SEALPOST-BUNDLE1".getBytes(StandardCharsets.US_ASCII);
    private static final int TRAILER = 8 + MAGIC.length;
    /** Largest S/MIME part accepted when opening, in bytes. */
    static final long MAX_MESSAGE_BYTES = dev.sealpost.protocol.Api.DEFAULT_MAX_MESSAGE_BYTES;

    private Bundle() {}

    /** Writes the magic that starts a bundle. */
    static void writeHead(FileChannel ch) throws IOException {
        writeFully(ch, ByteBuffer.wrap(MAGIC));
    }

    /** Writes the sealed message and the trailer after the blobs. */
    static void writeTail(FileChannel ch, byte[] sealed) throws IOException {
        writeFully(ch, ByteBuffer.wrap(sealed));
        writeFully(ch, ByteBuffer.allocate(TRAILER).putLong(sealed.length).put(MAGIC).flip());
    }

    /** @return the id of the {@code n}-th blob of a bundle, as its letter references it */
    static String blobId(int n) {
        return "#" + n;
    }

    /**
     * @param file any file
     * @return true if it starts and ends like a bundle
     * @throws IOException if it cannot be read
     */
    public static boolean isBundle(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < MAGIC.length + TRAILER) {
                return false;
            }
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
            readFully(ch, head, 0);
            return Arrays.equals(head.array(), MAGIC);
        }
    }

    /**
     * Opens a bundle for reading: its trailer is checked and its S/MIME message read.
     *
     * @return the contents; the caller closes them
     * @throws MalformedMessageException if the trailer is not a bundle's
     * @throws IOException if the file cannot be read
     */
    public static Contents open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size < MAGIC.length + TRAILER) {
                throw new MalformedMessageException("not a complete sealpost bundle (too short)");
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
            readFully(ch, trailer, size - TRAILER);
            long messageBytes = trailer.getLong(0);
            if (!Arrays.equals(Arrays.copyOfRange(trailer.array(), 8, TRAILER), MAGIC)
                    || messageBytes <= 0 || messageBytes > MAX_MESSAGE_BYTES || messageBytes > size - TRAILER - MAGIC.length) {
                throw new MalformedMessageException("not a complete sealpost bundle (bad trailer)");
            }
            long messageAt = size - TRAILER - messageBytes;
            ByteBuffer message = ByteBuffer.allocate((int) messageBytes);
            readFully(ch, message, messageAt);
            return new Contents(ch, message.array(), messageAt);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** An open bundle: its sealed message, and its blobs as a {@link BlobSource}. */
    public static final class Contents implements BlobSource, AutoCloseable {
        private final FileChannel ch;
        private final byte[] sealed;
        private final long messageAt;
        private final Map<String, Long> offsets = new HashMap<>();

        private Contents(FileChannel ch, byte[] sealed, long messageAt) {
            this.ch = ch;
            this.sealed = sealed;
            this.messageAt = messageAt;
        }

        /** @return the DER S/MIME message */
        public byte[] sealed() {
            return sealed.clone();
        }

        /** @throws MalformedMessageException if the blobs are not #0, #1, ... or do not fill the space before the message exactly */
        @Override
        public void check(List<BlobRef> refs) throws IOException {
            long at = MAGIC.length;
            for (int i = 0; i < refs.size(); i++) {
                if (!refs.get(i).blobId().equals(blobId(i))) {
                    throw new MalformedMessageException("bundle letter references blob " + refs.get(i).blobId()
                            + " where " + blobId(i) + " belongs");
                }
                offsets.put(refs.get(i).blobId(), at);
                at += refs.get(i).ciphertextSize();
            }
            if (at != messageAt) {
                throw new MalformedMessageException("bundle blobs take " + (messageAt - MAGIC.length)
                        + " bytes but the signed letter says " + (at - MAGIC.length));
            }
        }

        @Override
        public void fetch(BlobRef ref, AttachmentWriter.Batch batch, Progress progress) throws IOException, GeneralSecurityException {
            Long at = offsets.get(ref.blobId());
            if (at == null) {
                throw new IllegalStateException("check the references first");
            }
            ch.position(at);
            Blobs.decryptInto(batch, ref, ch, progress);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new MalformedMessageException("bundle is truncated");
            }
        }
    }
}
