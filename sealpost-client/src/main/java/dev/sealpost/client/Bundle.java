package dev.sealpost.client;

import dev.sealpost.crypto.BlobCipher;
import dev.sealpost.crypto.BlobSecret;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.MalformedMessageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An offline sealed message whose files are too large to travel inside the S/MIME message:
 * one file holding the blobs and the message that references them.
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
 */
public final class Bundle {
    private static final byte[] MAGIC = "SEALPOST-BUNDLE1".getBytes(StandardCharsets.US_ASCII);
    private static final int TRAILER = 8 + MAGIC.length;
    /** Largest S/MIME part accepted when opening, in bytes. */
    static final long MAX_MESSAGE_BYTES = dev.sealpost.protocol.Api.DEFAULT_MAX_MESSAGE_BYTES;

    private Bundle() {}

    /** Seals the letter once the blobs' references are known. */
    @FunctionalInterface
    public interface Sealer {
        /**
         * @param refs one reference per blob, {@code #0}, {@code #1}, ...
         * @return the DER S/MIME message
         */
        byte[] seal(List<BlobRef> refs) throws IOException, GeneralSecurityException;
    }

    /**
     * Writes a bundle to {@code out}, which must not exist; nothing appears under that name
     * unless all of it was written. Like {@code openssl}, {@code gpg} and {@code age}, it does
     * not force the file to disk: its input stays where it was.
     *
     * @param out      the file to create
     * @param files    the files to carry as blobs, in order
     * @param sealer   seals the letter given the blob references
     * @param progress reports encryption per file
     * @return the bundle's size in bytes
     * @throws java.nio.file.FileAlreadyExistsException if {@code out} exists
     * @throws IOException if a file cannot be read or the bundle written
     * @throws GeneralSecurityException from the sealer
     */
    public static long write(Path out, List<OutgoingFile> files, Sealer sealer, Progress progress)
            throws IOException, GeneralSecurityException {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
        try {
            long size;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writeFully(ch, ByteBuffer.wrap(MAGIC));
                List<BlobRef> refs = new ArrayList<>();
                for (OutgoingFile original : files) {
                    BlobSecret secret = Blobs.newSecret();
                    OutgoingFile f = original;
                    Path compressed = null;
                    try {
                        if (Deflate.worthIt(original)) {
                            compressed = Files.createTempFile(dir, "." + out.getFileName() + ".", ".deflate");
                            try (Progress.Task task = progress.start("compress " + Blobs.shortName(f.name()), f.size())) {
                                Deflate.compress(original.path(), compressed, task);
                            }
                            f = OutgoingFile.of(compressed, original.name());
                        }
                        byte[] digest;
                        try (Progress.Task task = progress.start("seal " + Blobs.shortName(f.name()), f.size())) {
                            digest = Blobs.encrypt(f, secret, 0, ch, task);
                        }
                        refs.add(new BlobRef(original.name(), original.mediaType(), original.size(), "#" + refs.size(), digest,
                                secret.ikm(), compressed == null ? Deflate.IDENTITY : Deflate.DEFLATE, f.size()));
                    } finally {
                        if (compressed != null) {
                            Files.deleteIfExists(compressed);
                        }
                    }
                }
                byte[] sealed = sealer.seal(refs);
                writeFully(ch, ByteBuffer.wrap(sealed));
                writeFully(ch, ByteBuffer.allocate(TRAILER).putLong(sealed.length).put(MAGIC).flip());
                size = ch.size();
            }
            Files.createLink(out, tmp); // fails if out appeared meanwhile, where a rename would replace it
            return size;
        } finally {
            Files.deleteIfExists(tmp);
        }
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

    /** What {@link #open} found and saved. */
    public record Result(Opened opened, List<Path> saved) {}

    /**
     * Opens a bundle: decrypts and verifies the letter, then decrypts every blob into a
     * temporary file under {@code outDir}, checking each segment and the signed digest; files
     * get their names only when all verified. On any failure nothing is left under {@code outDir}.
     *
     * @throws MalformedMessageException if the layout does not match what the signed letter says
     * @throws IOException if reading or writing fails
     * @throws GeneralSecurityException if decryption or verification fails
     */
    public static Result open(Path file, Identity me, LetterOpener.SignerLookup lookup, Path outDir, Progress progress)
            throws IOException, GeneralSecurityException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
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
            Opened opened = LetterOpener.open(message.array(), me, lookup);
            List<BlobRef> blobs = opened.letter().blobs();
            long at = MAGIC.length;
            for (int i = 0; i < blobs.size(); i++) {
                if (!blobs.get(i).blobId().equals("#" + i)) {
                    throw new MalformedMessageException("bundle letter references blob " + blobs.get(i).blobId() + " where #" + i + " belongs");
                }
                at += blobs.get(i).ciphertextSize();
            }
            if (at != messageAt) {
                throw new MalformedMessageException("bundle blobs take " + (messageAt - MAGIC.length)
                        + " bytes but the signed letter says " + (at - MAGIC.length));
            }
            List<Path> saved = List.of();
            if (!opened.letter().attachments().isEmpty() || !blobs.isEmpty()) {
                try (AttachmentWriter.Batch batch = AttachmentWriter.begin(outDir, false)) {
                    for (Attachment a : opened.letter().attachments()) {
                        batch.add(a.filename(), a.bytes());
                    }
                    ch.position(MAGIC.length);
                    for (BlobRef ref : blobs) {
                        Blobs.decryptInto(batch, ref, ch, progress);
                    }
                    saved = batch.commit();
                }
            }
            return new Result(opened, saved);
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
