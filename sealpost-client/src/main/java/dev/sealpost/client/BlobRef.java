package dev.sealpost.client;

import java.util.Arrays;
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
     * @throws IllegalArgumentException if the size is negative, the id malformed, or the digest
     *                                  or key not 32 bytes
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
}
