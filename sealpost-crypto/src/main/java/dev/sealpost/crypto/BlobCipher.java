package dev.sealpost.crypto;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * Encrypts and decrypts large attachments as separate blobs in Tink's AES-GCM-HKDF streaming
 * format (https://developers.google.com/tink/streaming-aead/aes_gcm_hkdf_streaming), with the
 * parameters HKDF-SHA256, a 32-byte derived AES-256 key, 1 MiB ciphertext segments, first segment
 * offset 0 and empty associated data: Tink's {@code AesGcmHkdfStreaming(ikm, "HmacSha256", 32,
 * 1 << 20, 0)} decrypts what this class writes and writes what it decrypts.
 *
 * <p>The construction is the STREAM online AE scheme of Hoang, Reyhanitabar, Rogaway and Vizár,
 * "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance" (CRYPTO 2015), over
 * AES-GCM (NIST SP 800-38D):
 * <ul>
 *   <li>header (40 bytes) = the byte 40 (the header length) || salt (32) || nonce prefix (7);
 *   <li>key = HKDF-SHA256(ikm, salt, info = associated data = empty, 32 bytes) (RFC 5869);
 *   <li>segment {@code i}'s nonce (12 bytes) = nonce prefix || {@code i} as 4-byte big-endian
 *       || 1 if it is the last segment, else 0;
 *   <li>segment {@code i}'s ciphertext = AES-GCM(plaintext) || 16-byte tag, without AAD. The header
 *       and the first segment's ciphertext together fill the first 1 MiB ciphertext segment, so
 *       the first segment holds {@value #SEGMENT_BYTES} − 40 − 16 plaintext bytes and every later
 *       one {@value #SEGMENT_BYTES} − 16; only the last may be shorter.
 * </ul>
 * Like Tink, a plaintext that exactly fills its segments ends with a full segment marked last (no
 * extra empty segment); the empty plaintext is one last segment of 16 bytes (a bare tag). The
 * last-segment flag in the nonce detects truncation at a segment boundary, the segment number
 * detects reordering.
 *
 * <p>Bulk work runs on the JDK (SunJCE AES/GCM/NoPadding, SUN SHA-256, SunJCE HKDF-SHA256), in a
 * pipeline over four recycled segment buffers (a few MiB whatever the size): the caller's thread
 * reads and runs AES-GCM, one daemon worker hashes the ciphertext with SHA-256, another writes.
 * SHA-256 is the costliest step (about 0.7 s per GiB against 0.1 s for GCM and 0.3 s for writing
 * to the page cache), so it gets a thread of its own and the scheduler spreads the rest over
 * both cores; the worker threads have ended when a method returns or throws. Besides decrypting, the blob's integrity as a whole is bound to the SHA-256 of
 * its ciphertext, which the caller signs and checks.
 */
public final class BlobCipher {
    private BlobCipher() {}

    /** Ciphertext segment size in bytes (1 MiB); every segment but the last has exactly this size, header included. */
    public static final int SEGMENT_BYTES = 1 << 20;
    /** Header size in bytes: the length byte, the 32-byte salt and the 7-byte nonce prefix. */
    public static final int HEADER_BYTES = 1 + BlobSecret.SALT_BYTES + BlobSecret.NONCE_PREFIX_BYTES;
    /** AES-GCM tag size in bytes, one per segment. */
    public static final int TAG_BYTES = 16;

    static final int FIRST_PLAINTEXT_BYTES = SEGMENT_BYTES - HEADER_BYTES - TAG_BYTES;
    static final int PLAINTEXT_BYTES = SEGMENT_BYTES - TAG_BYTES;
    /** The segment number is 4 bytes: at most 2^32 segments. */
    static final long MAX_SEGMENTS = 1L << 32;
    static final long MAX_PLAINTEXT_BYTES = FIRST_PLAINTEXT_BYTES + (MAX_SEGMENTS - 1) * PLAINTEXT_BYTES;

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int DIGEST_BYTES = 32;
    /** Recycled ciphertext buffers in the pipeline. */
    private static final int BUFFERS = 4;
    /** Blobs of at least this many segments warm the JIT up on the worker thread (see {@link GcmWarmup}). */
    private static final long WARMUP_SEGMENTS = 8;
    /**
     * Bytes per {@code Cipher.update} when encrypting a segment. In a fresh JVM, one {@code doFinal}
     * per 1 MiB segment stayed under 100 MB/s for the first ~650 MiB; 64 KiB calls reach the JIT's
     * thresholds (and SunJCE's AES/GHASH intrinsic) after ~60 MiB and run at 5 to 15 GB/s warm,
     * the best of 2, 4, 8, 16, 64, 256 KiB and 1 MiB measured; see {@link ChunkedContent}.
     */
    static final int CHUNK = ChunkedContent.CHUNK;

    /**
     * The size of the blob that {@link #encrypt} makes of a plaintext.
     *
     * @param plaintextSize the plaintext length in bytes
     * @return the ciphertext length in bytes: 40 + plaintextSize + 16 per segment
     * @throws IllegalArgumentException if {@code plaintextSize} is negative or needs more than 2^32 segments
     */
    public static long ciphertextSize(long plaintextSize) {
        if (plaintextSize < 0 || plaintextSize > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("plaintext size out of range: " + plaintextSize);
        }
        return HEADER_BYTES + plaintextSize + segments(plaintextSize) * TAG_BYTES;
    }

    /**
     * The plaintext size of a blob of the given length; the inverse of {@link #ciphertextSize}.
     *
     * @param ciphertextSize the blob length in bytes
     * @return the plaintext length in bytes
     * @throws BlobIntegrityException if no plaintext encrypts to this length: negative, shorter than
     *     header and tag (56 bytes), a last segment with no room for plaintext, or more than 2^32 segments
     */
    public static long plaintextSize(long ciphertextSize) throws BlobIntegrityException {
        if (ciphertextSize < HEADER_BYTES + TAG_BYTES) {
            throw new BlobIntegrityException("a blob of " + ciphertextSize + " bytes is impossible: the minimum is "
                    + (HEADER_BYTES + TAG_BYTES));
        }
        long segments = (ciphertextSize - 1) / SEGMENT_BYTES + 1;
        long last = ciphertextSize - (segments - 1) * SEGMENT_BYTES;
        if (segments > MAX_SEGMENTS || (segments > 1 && last <= TAG_BYTES)) {
            throw new BlobIntegrityException("a blob of " + ciphertextSize + " bytes is impossible in this format");
        }
        return ciphertextSize - HEADER_BYTES - segments * TAG_BYTES;
    }

    /** Segments of a plaintext of {@code plaintextSize} bytes, 1 for the empty plaintext. */
    static long segments(long plaintextSize) {
        if (plaintextSize <= FIRST_PLAINTEXT_BYTES) {
            return 1;
        }
        return 1 + (plaintextSize - FIRST_PLAINTEXT_BYTES + PLAINTEXT_BYTES - 1) / PLAINTEXT_BYTES;
    }

    /**
     * Encrypts exactly {@code plaintextSize} bytes read from {@code plaintext} (from its current
     * position; nothing beyond is read) and writes the ciphertext bytes {@code [skip,
     * ciphertextSize(plaintextSize))} to {@code sink}. Encryption is deterministic in {@code
     * secret}, so a caller resuming an interrupted upload of {@code k} bytes passes {@code skip =
     * k} and gets exactly the missing suffix; all plaintext is still read and encrypted, because
     * the returned digest covers the whole ciphertext.
     *
     * <p>The caller's thread reads and encrypts; daemon threads named "sealpost-blob-encrypt-*"
     * hash and write, and have ended when this method returns or throws. The channels must be
     * blocking.
     *
     * @param secret the blob's ikm, salt and nonce prefix; must never encrypt another plaintext
     * @param plaintext the source, read from its current position
     * @param plaintextSize how many bytes to read and encrypt
     * @param skip how many leading ciphertext bytes not to write, 0 to {@code ciphertextSize(plaintextSize)}
     * @param sink receives the ciphertext from byte {@code skip} on
     * @param progress receives the cumulative count of plaintext bytes encrypted and written, after
     *     each segment, possibly on the worker thread; may be null
     * @return the SHA-256 (32 bytes) of the whole ciphertext, the skipped bytes included
     * @throws EOFException if {@code plaintext} ends before {@code plaintextSize} bytes
     * @throws IOException if a channel fails, or {@link java.io.InterruptedIOException} if the thread is interrupted
     * @throws IllegalArgumentException if {@code plaintextSize} is out of range (see {@link
     *     #ciphertextSize}) or {@code skip} is negative or beyond the ciphertext
     * @throws NullPointerException if {@code secret}, {@code plaintext} or {@code sink} is null
     */
    public static byte[] encrypt(BlobSecret secret, ReadableByteChannel plaintext, long plaintextSize, long skip,
                                 WritableByteChannel sink, LongConsumer progress) throws IOException {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(sink, "sink");
        long total = ciphertextSize(plaintextSize);
        if (skip < 0 || skip > total) {
            throw new IllegalArgumentException("skip " + skip + " is outside the ciphertext of " + total + " bytes");
        }
        long segments = segments(plaintextSize);
        int bufferBytes = (int) Math.min(SEGMENT_BYTES, total);
        Cipher cipher = gcm();
        SecretKey key = deriveKey(secret.ikmRef(), secret.saltRef());
        byte[] nonce = Arrays.copyOf(secret.noncePrefixRef(), NONCE_BYTES);
        byte[] input = new byte[(int) Math.min(PLAINTEXT_BYTES, plaintextSize)];
        MessageDigest sha = sha256();
        List<SegmentPipeline.Stage> stages = List.of(hasher(sha), new Writer(sink, skip, progress));
        try (SegmentPipeline pipeline = new SegmentPipeline("encrypt", (int) Math.min(BUFFERS, segments), bufferBytes,
                -1, stages, segments >= WARMUP_SEGMENTS ? Boolean.TRUE : null)) {
            long remaining = plaintextSize;
            for (long i = 0; i < segments; i++) {
                SegmentPipeline.Segment s = pipeline.take();
                int offset = 0;
                if (i == 0) {
                    s.ciphertext[0] = HEADER_BYTES;
                    System.arraycopy(secret.saltRef(), 0, s.ciphertext, 1, BlobSecret.SALT_BYTES);
                    System.arraycopy(secret.noncePrefixRef(), 0, s.ciphertext, 1 + BlobSecret.SALT_BYTES,
                            BlobSecret.NONCE_PREFIX_BYTES);
                    offset = HEADER_BYTES;
                }
                int n = (int) Math.min(remaining, i == 0 ? FIRST_PLAINTEXT_BYTES : PLAINTEXT_BYTES);
                readFully(plaintext, input, n, plaintextSize - remaining, plaintextSize);
                remaining -= n;
                setNonce(nonce, i, i == segments - 1);
                s.ciphertextLength = offset + sealSegment(cipher, key, nonce, input, n, s.ciphertext, offset);
                s.outputLength = s.ciphertextLength;
                s.index = i;
                s.plaintextBytes = n;
                pipeline.put(s);
            }
            pipeline.finish();
        } catch (BlobIntegrityException e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
        return sha.digest();
    }

    /**
     * Decrypts a blob: reads exactly {@code ciphertextSize} bytes from {@code ciphertext} (nothing
     * beyond), verifies every segment's AES-GCM tag, which binds its position and whether it is the
     * last, writes each segment's plaintext to {@code sink} once it has verified and, at the end,
     * checks that the SHA-256 of all ciphertext bytes equals {@code expectedSha256} (in constant
     * time). On any exception the plaintext written so far must be discarded.
     *
     * <p>The caller's thread reads and decrypts; daemon threads named "sealpost-blob-decrypt-*"
     * hash and write, and have ended when this method returns or throws. The channels must be
     * blocking.
     *
     * @param ikm the blob's 32-byte input keying material ({@link BlobSecret#ikm()}); salt and
     *     nonce prefix come from the header
     * @param ciphertext the blob, read from its current position
     * @param ciphertextSize the blob's length in bytes, as signed with its digest
     * @param expectedSha256 the expected SHA-256 (32 bytes) of the whole blob
     * @param sink receives the plaintext, {@code plaintextSize(ciphertextSize)} bytes in all on success
     * @param progress receives the cumulative count of plaintext bytes verified and written, after
     *     each segment, possibly on the worker thread; may be null
     * @throws BlobIntegrityException if {@code ciphertextSize} is impossible, the input ends before
     *     {@code ciphertextSize} bytes ("ciphertext is truncated"), the header length byte is not 40,
     *     a segment fails authentication ("segment 3 of 1024 failed authentication"; segments are
     *     numbered from 1; a wrong key fails segment 1) or the digest differs
     * @throws IOException if a channel fails, or {@link java.io.InterruptedIOException} if the thread is interrupted
     * @throws IllegalArgumentException if {@code ikm} or {@code expectedSha256} is not 32 bytes
     * @throws NullPointerException if an argument other than {@code progress} is null
     */
    public static void decrypt(byte[] ikm, ReadableByteChannel ciphertext, long ciphertextSize, byte[] expectedSha256,
                               WritableByteChannel sink, LongConsumer progress) throws IOException, BlobIntegrityException {
        decrypt(ikm, ciphertext, ciphertextSize, expectedSha256, sink, progress, null);
    }

    /**
     * Where an interrupted decryption stopped: after a number of whole segments, with the blob's
     * header and the SHA-256 state of the ciphertext up to there. Made by {@link #resumeAfter}.
     */
    public static final class Position {
        private final long segments;
        private final byte[] header;
        private final MessageDigest sha;

        private Position(long segments, byte[] header, MessageDigest sha) {
            this.segments = segments;
            this.header = header;
            this.sha = sha;
        }

        /** @return whole segments already decrypted and verified */
        public long segments() {
            return segments;
        }

        /** @return the ciphertext offset to continue reading from, in bytes */
        public long ciphertextOffset() {
            return segments * SEGMENT_BYTES;
        }

        /** @return the plaintext those segments hold, in bytes */
        public long plaintextOffset() {
            return BlobCipher.plaintextOffset(segments);
        }
    }

    /** @return the plaintext bytes held by the first {@code segments} segments, none of them last */
    public static long plaintextOffset(long segments) {
        return segments == 0 ? 0 : FIRST_PLAINTEXT_BYTES + (segments - 1) * PLAINTEXT_BYTES;
    }

    /** @return how many whole segments {@code plaintextBytes} of decrypted output hold */
    public static long wholeSegments(long plaintextBytes) {
        return plaintextBytes < FIRST_PLAINTEXT_BYTES ? 0 : 1 + (plaintextBytes - FIRST_PLAINTEXT_BYTES) / PLAINTEXT_BYTES;
    }

    /**
     * Rebuilds the state of a decryption that stopped after {@code segments} whole segments,
     * from the plaintext they decrypted to, so a download can continue from there instead of
     * from byte 0. Encryption is deterministic for a given key, salt and nonce prefix, so
     * re-encrypting that plaintext (with the salt and nonce prefix from {@code header}) yields
     * exactly the ciphertext that was received, whose SHA-256 is then known without storing it.
     * Should the plaintext differ from what was decrypted, the digest will not match at the end.
     *
     * @param ikm            the blob's 32-byte key
     * @param header         the blob's first {@value #HEADER_BYTES} bytes, as received
     * @param plaintext      the decrypted output so far, read from its current position
     * @param segments       whole segments to re-create, fewer than the blob has
     * @param ciphertextSize the blob's size in bytes
     * @return the position to pass to {@link #decrypt(byte[], ReadableByteChannel, long, byte[],
     *     WritableByteChannel, LongConsumer, Position)}
     * @throws BlobIntegrityException if the header is malformed or the size impossible
     * @throws java.io.EOFException if {@code plaintext} is shorter than the segments need
     * @throws IllegalArgumentException if {@code segments} is negative or not fewer than the blob's
     */
    public static Position resumeAfter(byte[] ikm, byte[] header, ReadableByteChannel plaintext, long segments,
                                       long ciphertextSize) throws IOException, BlobIntegrityException {
        long total = segments(plaintextSize(ciphertextSize));
        if (segments < 0 || segments >= total) {
            throw new IllegalArgumentException("can resume only before the last of " + total + " segments, not after " + segments);
        }
        if (header.length != HEADER_BYTES || header[0] != HEADER_BYTES) {
            throw new BlobIntegrityException("the blob header is malformed");
        }
        MessageDigest sha = sha256();
        if (segments > 0) {
            SecretKey key = deriveKey(ikm, Arrays.copyOfRange(header, 1, 1 + BlobSecret.SALT_BYTES));
            byte[] nonce = Arrays.copyOf(Arrays.copyOfRange(header, 1 + BlobSecret.SALT_BYTES, HEADER_BYTES), NONCE_BYTES);
            Cipher cipher = gcm();
            byte[] input = new byte[PLAINTEXT_BYTES];
            byte[] out = new byte[SEGMENT_BYTES];
            sha.update(header);
            for (long i = 0; i < segments; i++) {
                int n = i == 0 ? FIRST_PLAINTEXT_BYTES : PLAINTEXT_BYTES;
                readFully(plaintext, input, n, plaintextOffset(i), plaintextOffset(segments));
                setNonce(nonce, i, false);
                sha.update(out, 0, sealSegment(cipher, key, nonce, input, n, out, 0));
            }
        }
        return new Position(segments, header.clone(), sha);
    }

    /**
     * {@link #decrypt(byte[], ReadableByteChannel, long, byte[], WritableByteChannel, LongConsumer)}
     * continued from {@code from}: {@code ciphertext} is read from {@link Position#ciphertextOffset()}
     * on, and {@code sink} receives the plaintext from {@link Position#plaintextOffset()} on; the
     * digest check still covers the whole blob.
     *
     * @param from where to continue, or null to start at byte 0
     */
    public static void decrypt(byte[] ikm, ReadableByteChannel ciphertext, long ciphertextSize, byte[] expectedSha256,
                               WritableByteChannel sink, LongConsumer progress, Position from)
            throws IOException, BlobIntegrityException {
        Objects.requireNonNull(ikm, "ikm");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(expectedSha256, "expectedSha256");
        Objects.requireNonNull(sink, "sink");
        if (ikm.length != BlobSecret.IKM_BYTES) {
            throw new IllegalArgumentException("ikm must be " + BlobSecret.IKM_BYTES + " bytes, not " + ikm.length);
        }
        if (expectedSha256.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("expectedSha256 must be 32 bytes, not " + expectedSha256.length);
        }
        long plaintextSize = plaintextSize(ciphertextSize);
        long segments = segments(plaintextSize);
        long start = from == null ? 0 : from.segments;
        if (start >= segments) {
            throw new IllegalArgumentException("nothing left to decrypt after segment " + start + " of " + segments);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        Cipher cipher = gcm();
        MessageDigest sha;
        SecretKey key = null;
        if (from == null) {
            sha = sha256();
        } else {
            try {
                sha = (MessageDigest) from.sha.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 state cannot be copied", e);
            }
            if (start > 0) {
                key = deriveKey(ikm, Arrays.copyOfRange(from.header, 1, 1 + BlobSecret.SALT_BYTES));
                System.arraycopy(from.header, 1 + BlobSecret.SALT_BYTES, nonce, 0, BlobSecret.NONCE_PREFIX_BYTES);
            }
        }
        Writer writer = new Writer(sink, 0, progress);
        writer.plaintextDone = plaintextOffset(start);
        List<SegmentPipeline.Stage> stages = List.of(hasher(sha), writer);
        try (SegmentPipeline pipeline = new SegmentPipeline("decrypt", (int) Math.min(BUFFERS, segments - start),
                (int) Math.min(SEGMENT_BYTES, ciphertextSize), (int) Math.min(PLAINTEXT_BYTES, plaintextSize), stages,
                segments - start >= WARMUP_SEGMENTS ? Boolean.FALSE : null)) {
            long position = start * SEGMENT_BYTES;
            for (long i = start; i < segments; i++) {
                SegmentPipeline.Segment s = pipeline.take();
                byte[] input = s.ciphertext;
                int n = (int) Math.min(SEGMENT_BYTES, ciphertextSize - position);
                if (!readAvailable(ciphertext, input, n)) {
                    throw new BlobIntegrityException("ciphertext is truncated: segment " + (i + 1) + " of " + segments
                            + " is incomplete");
                }
                position += n;
                int offset = 0;
                if (i == 0) {
                    if (input[0] != HEADER_BYTES) {
                        throw new BlobIntegrityException("the blob header is malformed: length byte " + (input[0] & 0xff)
                                + ", expected " + HEADER_BYTES);
                    }
                    key = deriveKey(ikm, Arrays.copyOfRange(input, 1, 1 + BlobSecret.SALT_BYTES));
                    System.arraycopy(input, 1 + BlobSecret.SALT_BYTES, nonce, 0, BlobSecret.NONCE_PREFIX_BYTES);
                    offset = HEADER_BYTES;
                }
                setNonce(nonce, i, i == segments - 1);
                s.ciphertextLength = n;
                s.outputLength = openSegment(cipher, key, nonce, input, offset, n - offset, s.output, i, segments);
                s.plaintextBytes = s.outputLength;
                s.index = i;
                pipeline.put(s);
            }
            pipeline.finish();
        }
        if (!MessageDigest.isEqual(sha.digest(), expectedSha256)) {
            throw new BlobIntegrityException("SHA-256 of the ciphertext does not match the signed digest");
        }
    }

    /** A stage that hashes each segment's ciphertext. */
    private static SegmentPipeline.Stage hasher(MessageDigest sha) {
        return s -> sha.update(s.ciphertext, 0, s.ciphertextLength);
    }

    /** The last stage: writes each segment's output from stream position {@code skip} on, and reports progress. */
    private static final class Writer implements SegmentPipeline.Stage {
        private final WritableByteChannel sink;
        private final long skip;
        private final LongConsumer progress;
        private long position;
        private long plaintextDone;

        Writer(WritableByteChannel sink, long skip, LongConsumer progress) {
            this.sink = sink;
            this.skip = skip;
            this.progress = progress;
        }

        @Override
        public void process(SegmentPipeline.Segment s) throws IOException {
            long end = position + s.outputLength;
            if (end > skip) {
                int from = (int) Math.max(0, skip - position);
                writeFully(sink, s.output, from, s.outputLength - from);
            }
            position = end;
            plaintextDone += s.plaintextBytes;
            if (progress != null) {
                progress.accept(plaintextDone);
            }
        }
    }

    /** Encrypts {@code n} bytes of {@code input} into {@code out} at {@code outOff}; returns the bytes written (n + 16). */
    private static int sealSegment(Cipher cipher, SecretKey key, byte[] nonce, byte[] input, int n, byte[] out,
                                   int outOff) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            int written = 0;
            int off = 0;
            while (n - off > CHUNK) {
                written += cipher.update(input, off, CHUNK, out, outOff + written);
                off += CHUNK;
            }
            return written + cipher.doFinal(input, off, n - off, out, outOff + written);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Verifies and decrypts one segment's {@code len} bytes (ciphertext and tag) of {@code input}
     * at {@code off} into {@code out}; returns the plaintext length.
     */
    private static int openSegment(Cipher cipher, SecretKey key, byte[] nonce, byte[] input, int off, int len,
                                   byte[] out, long index, long segments) throws BlobIntegrityException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            return cipher.doFinal(input, off, len, out, 0);
        } catch (AEADBadTagException e) {
            throw new BlobIntegrityException("segment " + (index + 1) + " of " + segments + " failed authentication", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /** Writes segment {@code index} and the last-segment flag into bytes 7..11 of {@code nonce}. */
    private static void setNonce(byte[] nonce, long index, boolean last) {
        nonce[7] = (byte) (index >>> 24);
        nonce[8] = (byte) (index >>> 16);
        nonce[9] = (byte) (index >>> 8);
        nonce[10] = (byte) index;
        nonce[11] = (byte) (last ? 1 : 0);
    }

    /** HKDF-SHA256(ikm, salt, info = empty) to a 32-byte AES key (RFC 5869, via JEP 510's KDF API). */
    static SecretKey deriveKey(byte[] ikm, byte[] salt) {
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256", Providers.sunJce());
            return hkdf.deriveKey("AES", HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt)
                    .thenExpand(new byte[0], KEY_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is not available", e);
        }
    }

    private static Cipher gcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding", Providers.sunJce());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding is not available", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Reads exactly {@code n} bytes into {@code buf}, or throws EOFException naming the position. */
    private static void readFully(ReadableByteChannel in, byte[] buf, int n, long done, long size) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                throw new EOFException("the plaintext ended after " + (done + b.position()) + " of " + size + " bytes");
            }
        }
    }

    /** Reads exactly {@code n} bytes into {@code buf}; false if the input ends first. */
    private static boolean readAvailable(ReadableByteChannel in, byte[] buf, int n) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeFully(WritableByteChannel out, byte[] buf, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
