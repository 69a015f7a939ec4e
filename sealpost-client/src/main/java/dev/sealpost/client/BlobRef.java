package dev.sealpost.client;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A file that travels beside a letter rather than inside it: encrypted on its own with
 * AES-GCM-HKDF streaming ({@link dev.sealpost.crypto.BlobCipher}) and referenced from the
 * signed letter (DESIGN §3). The signature covers this reference, so authenticity extends to
 * the blob: its key, its exact size and the SHA-256 of its ciphertext are all signed.
 *
 * <p>On the wire it is a MIME part {@code message/external-body; access-type="x-sealpost-blob"}
 * (RFC 2046 §5.2.3) whose parameters carry {@code blob}, {@code size}, {@code sha256} and
 * {@code key} (and, for a compressed blob, {@code encoding=deflate} and {@code encoded-size}),
 * and whose body is the header of the external file (its Content-Type and
 * Content-Disposition with the filename).
 *
 * @param filename  the name as the sender gave it, possibly a relative path with {@code /}
 *                  separators (a folder's file); never used as a path without {@link SafeNames}
 * @param mediaType e.g. {@code video/mp4}
 * @param size      the file's size in bytes
 * @param blobId    where the ciphertext is: a relay upload id, or {@code #N} for the N-th blob
 *                  of an offline bundle ({@link Bundle})
 * @param sha256    SHA-256 of the whole ciphertext, 32 bytes
 * @param key       the blob's input key material, 32 bytes
 * @param encoding  {@code identity}, or {@code deflate} when the blob's plaintext is the file
 *                  compressed in the zlib format (RFC 1950)
 * @param encodedSize the blob's plaintext size in bytes (equal to {@code size} for identity)
 */
public record BlobRef(String filename, String mediaType, long size, String blobId, byte[] sha256, byte[] key,
                      String encoding, long encodedSize) {
    /** A relay upload id, or {@code #N} inside a bundle. */
    static final String ID_PATTERN = "[A-Za-z0-9_-]{1,64}|#[0-9]{1,6}";

    /**
     * @throws NullPointerException     if a field is null
     * @throws IllegalArgumentException if the size is negative, the encoded size more than a blob
     *                                  can hold ({@link dev.sealpost.crypto.BlobCipher#ciphertextSize}),
     *                                  the id malformed, or the digest or key not 32 bytes
     */
    public BlobRef {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(blobId, "blobId");
        Objects.requireNonNull(encoding, "encoding");
        if (size < 0 || encodedSize < 0 || !blobId.matches(ID_PATTERN) || sha256.length != 32 || key.length != 32
                || !(encoding.equals(Deflate.IDENTITY) && encodedSize == size || encoding.equals(Deflate.DEFLATE))) {
            throw new IllegalArgumentException("malformed blob reference");
        }
        // A signed letter may claim any 18-digit size: refuse here what no blob can be, rather
        // than fail unchecked later in Bundle.check or a download (found by LetterFuzzTest).
        dev.sealpost.crypto.BlobCipher.ciphertextSize(encodedSize);
        sha256 = sha256.clone();
        key = key.clone();
    }

    /** A blob that is the file itself, not compressed. */
    public BlobRef(String filename, String mediaType, long size, String blobId, byte[] sha256, byte[] key) {
        this(filename, mediaType, size, blobId, sha256, key, Deflate.IDENTITY, size);
    }

    /** @return true if the blob holds the file compressed */
    public boolean compressed() {
        return encoding.equals(Deflate.DEFLATE);
    }

    /** @return a copy of the SHA-256 of the ciphertext */
    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** @return a copy of the key */
    @Override
    public byte[] key() {
        return key.clone();
    }

    /** @return the ciphertext size in bytes */
    public long ciphertextSize() {
        return dev.sealpost.crypto.BlobCipher.ciphertextSize(encodedSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobRef b && b.filename.equals(filename) && b.mediaType.equals(mediaType) && b.size == size
                && b.blobId.equals(blobId) && Arrays.equals(b.sha256, sha256) && Arrays.equals(b.key, key)
                && b.encoding.equals(encoding) && b.encodedSize == encodedSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(filename, blobId, size);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "BlobRef[" + filename + ", " + mediaType + ", " + size + " bytes, " + encoding + " " + encodedSize + ", blob " + blobId + ", sha256 "
                + HexFormat.of().formatHex(sha256) + "]";
    }

    /** The {@code message/external-body} part of a blob reference (RFC 2046 §5.2.3). */
    static MimeBodyPart toMimePart(BlobRef ref) throws MessagingException, IOException {
        MimeBodyPart inner = new MimeBodyPart();
        inner.setHeader("Content-Type", ref.mediaType());
        inner.setFileName(ref.filename());
        inner.setDisposition(Part.ATTACHMENT);
        inner.setFileName(ref.filename());
        StringBuilder header = new StringBuilder();
        for (var lines = inner.getAllHeaderLines(); lines.hasMoreElements(); ) {
            header.append(lines.nextElement()).append("\r\n");
        }
        header.append("\r\n");
        // Written by hand, one parameter per folded line: every value is a plain token, and a
        // generic encoder would split the long ones into RFC 2231 continuations (sha256*0=...).
        String ct = "message/external-body; access-type=" + Letter.BLOB_ACCESS_TYPE + ";\r\n\tblob=\"" + ref.blobId()
                + "\"; size=" + ref.size() + ";\r\n\tsha256=" + HexFormat.of().formatHex(ref.sha256())
                + ";\r\n\tkey=" + Base64.getUrlEncoder().withoutPadding().encodeToString(ref.key())
                + (ref.compressed() ? ";\r\n\tencoding=" + ref.encoding() + "; encoded-size=" + ref.encodedSize() : "");
        MimeBodyPart p = new MimeBodyPart();
        p.setDataHandler(new DataHandler(new ByteArrayDataSource(header.toString().getBytes(StandardCharsets.UTF_8), ct)));
        p.setFileName(ref.filename());
        p.setDisposition(Part.ATTACHMENT);
        p.setFileName(ref.filename());
        p.setHeader("Content-Type", ct); // last: setFileName rewrites Content-Type with a name parameter
        p.setHeader("Content-Transfer-Encoding", "8bit");
        return p;
    }

    /** Reads a blob reference; any malformed field is an error, not a skipped part. */
    static BlobRef fromMimePart(Part part, ContentType ct) throws MessagingException, IOException {
        String id = ct.getParameter("blob");
        String size = ct.getParameter("size");
        String sha = ct.getParameter("sha256");
        String key = ct.getParameter("key");
        String encoding = ct.getParameter("encoding");
        String encodedSize = ct.getParameter("encoded-size");
        if (encoding == null) {
            encoding = Deflate.IDENTITY;
            encodedSize = size;
        }
        if (!encoding.equals(Deflate.IDENTITY) && !encoding.equals(Deflate.DEFLATE) || encodedSize == null
                || !encodedSize.matches("[0-9]{1,18}")) {
            throw new IOException("malformed blob reference: unknown encoding");
        }
        if (id == null || size == null || sha == null || key == null || !size.matches("[0-9]{1,18}")
                || !sha.matches("[0-9a-fA-F]{64}") || !key.matches("[A-Za-z0-9_-]{43}")) {
            throw new IOException("malformed blob reference");
        }
        MimeBodyPart inner;
        try (InputStream in = part.getInputStream()) {
            inner = new MimeBodyPart(new jakarta.mail.internet.InternetHeaders(in), new byte[0]);
        }
        String filename = inner.getFileName();
        if (filename == null) {
            filename = part.getFileName();
        }
        try {
            return new BlobRef(filename == null ? "file" : filename, Letter.baseType(inner.getContentType()), Long.parseLong(size), id,
                    HexFormat.of().parseHex(sha.toLowerCase(Locale.ROOT)), Base64.getUrlDecoder().decode(key),
                    encoding, Long.parseLong(encodedSize));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed blob reference: " + e.getMessage(), e);
        }
    }
}
