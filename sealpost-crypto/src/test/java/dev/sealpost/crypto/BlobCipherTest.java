package dev.sealpost.crypto;

import static dev.sealpost.crypto.Blobs.FIRST;
import static dev.sealpost.crypto.Blobs.LATER;
import static dev.sealpost.crypto.Blobs.SEG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BlobCipherTest {
    private static final long SIZE = 7L * SEG / 2; // 4 segments, the last partial
    private static BlobSecret secret;
    private static byte[] plaintext;
    private static byte[] ciphertext;
    private static byte[] digest;

    @BeforeAll
    static void seal() throws IOException {
        secret = Blobs.secret(42);
        plaintext = Blobs.data(SIZE, 1);
        Blobs.Sealed s = Blobs.encrypt(secret, plaintext, 0);
        ciphertext = s.ciphertext();
        digest = s.digest();
        assertEquals(4, (ciphertext.length + SEG - 1) / SEG);
    }

    static long[] sizes() {
        return Blobs.boundarySizes();
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void roundTrip_atBoundarySizes(long size) throws Exception {
        BlobSecret s = Blobs.secret(size);
        byte[] pt = Blobs.data(size, size);
        List<Long> progress = new ArrayList<>();
        Blobs.Sealed sealed = Blobs.encrypt(s, pt, 0, progress::add);
        assertEquals(BlobCipher.ciphertextSize(size), sealed.ciphertext().length);
        assertEquals(size, BlobCipher.plaintextSize(sealed.ciphertext().length));
        assertArrayEquals(Blobs.sha256(sealed.ciphertext()), sealed.digest());
        assertEquals(size, progress.getLast());
        assertEquals(BlobCipher.segments(size), progress.size());

        List<Long> decryptProgress = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BlobCipher.decrypt(s.ikm(), Channels.newChannel(new ByteArrayInputStream(sealed.ciphertext())),
                sealed.ciphertext().length, sealed.digest(), Channels.newChannel(out), decryptProgress::add);
        assertArrayEquals(pt, out.toByteArray());
        assertEquals(progress, decryptProgress);
        assertEquals(0, Blobs.liveBlobThreads());
    }

    @Test
    void emptyPlaintext_isHeaderAndOneTag() throws Exception {
        Blobs.Sealed sealed = Blobs.encrypt(secret, new byte[0], 0);
        assertEquals(56, sealed.ciphertext().length);
        assertEquals(56, BlobCipher.ciphertextSize(0));
        assertEquals(40, sealed.ciphertext()[0]);
        assertArrayEquals(secret.salt(), Arrays.copyOfRange(sealed.ciphertext(), 1, 33));
        assertArrayEquals(secret.noncePrefix(), Arrays.copyOfRange(sealed.ciphertext(), 33, 40));
    }

    @Test
    void sizes_areConsistentAroundEverySegmentBoundary() throws Exception {
        long previous = -1;
        for (int k = 0; k < 4; k++) {
            long boundary = FIRST + (long) k * LATER;
            for (long p = Math.max(0, boundary - 64); p <= boundary + 64; p++) {
                long c = BlobCipher.ciphertextSize(p);
                assertEquals(p, BlobCipher.plaintextSize(c), "plaintext " + p);
                long segments = p <= FIRST ? 1 : 1 + (p - FIRST + LATER - 1) / LATER;
                assertEquals(40 + p + 16 * segments, c, "plaintext " + p);
                if (p > previous && previous >= 0 && p == previous + 1) {
                    assertTrue(c > BlobCipher.ciphertextSize(previous));
                }
                previous = p;
            }
        }
        // an exact fill ends the blob at a segment boundary: no extra empty segment
        assertEquals(SEG, BlobCipher.ciphertextSize(FIRST));
        assertEquals(2L * SEG, BlobCipher.ciphertextSize(FIRST + LATER));
    }

    @Test
    void plaintextSize_everyLengthEitherRoundTripsOrIsRejected() {
        int accepted = 0;
        for (long base : new long[] {0, SEG, 2L * SEG, 3L * SEG}) {
            for (long c = Math.max(-2, base - 70); c <= base + 70; c++) {
                long p;
                try {
                    p = BlobCipher.plaintextSize(c);
                } catch (BlobIntegrityException e) {
                    continue;
                }
                accepted++;
                assertEquals(c, BlobCipher.ciphertextSize(p), "ciphertext " + c);
            }
        }
        assertTrue(accepted > 300);
    }

    @Test
    void plaintextSize_rejectsImpossibleLengths() {
        for (long c : new long[] {-1, 0, 1, 55, SEG + 1, SEG + 16, 2L * SEG + 16, Long.MAX_VALUE,
            ((1L << 32) + 1) * SEG}) {
            BlobIntegrityException e = assertThrows(BlobIntegrityException.class, () -> BlobCipher.plaintextSize(c),
                    "ciphertext " + c);
            assertTrue(e.getMessage().contains("impossible"), e.getMessage());
        }
        assertDoesNotThrow(56);
        assertDoesNotThrow(SEG + 17);
        assertDoesNotThrow((1L << 32) * SEG);
    }

    private static void assertDoesNotThrow(long c) {
        try {
            BlobCipher.plaintextSize(c);
        } catch (BlobIntegrityException e) {
            throw new AssertionError("ciphertext " + c + " rejected", e);
        }
    }

    @Test
    void ciphertextSize_rejectsNegativeAndMoreThan2To32Segments() throws Exception {
        long max = FIRST + ((1L << 32) - 1) * LATER;
        assertEquals((1L << 32) * SEG, BlobCipher.ciphertextSize(max));
        assertEquals(max, BlobCipher.plaintextSize((1L << 32) * SEG));
        assertThrows(IllegalArgumentException.class, () -> BlobCipher.ciphertextSize(max + 1));
        assertThrows(IllegalArgumentException.class, () -> BlobCipher.ciphertextSize(-1));
        assertThrows(IllegalArgumentException.class, () -> BlobCipher.ciphertextSize(Long.MAX_VALUE));
    }

    @Test
    void encrypt_isDeterministicForOneSecret() throws Exception {
        Blobs.Sealed again = Blobs.encrypt(secret, plaintext, 0);
        assertArrayEquals(ciphertext, again.ciphertext());
        assertArrayEquals(digest, again.digest());
        Blobs.Sealed other = Blobs.encrypt(Blobs.secret(43), plaintext, 0);
        assertFalse(Arrays.equals(ciphertext, other.ciphertext()));
    }

    @Test
    void encrypt_withSkip_writesExactlyTheSuffix_andDigestsTheWhole() throws Exception {
        int n = ciphertext.length;
        for (long k : new long[] {0, 1, 39, 40, 41, SEG - 1, SEG, SEG + 1, SEG + SEG / 3, 2L * SEG, 3L * SEG,
            3L * SEG + 1, n - 1, n}) {
            Blobs.Sealed part = Blobs.encrypt(secret, plaintext, k);
            assertArrayEquals(Arrays.copyOfRange(ciphertext, (int) k, n), part.ciphertext(), "skip " + k);
            assertArrayEquals(digest, part.digest(), "skip " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> Blobs.encrypt(secret, plaintext, -1));
        assertThrows(IllegalArgumentException.class, () -> Blobs.encrypt(secret, plaintext, n + 1));
    }

    @Test
    void encrypt_inputShorterThanPlaintextSize_isEof() {
        for (long size : new long[] {10, FIRST + 5, SIZE}) {
            byte[] pt = Blobs.data(size - 1, 3);
            EOFException e = assertThrows(EOFException.class, () -> BlobCipher.encrypt(secret,
                    Channels.newChannel(new ByteArrayInputStream(pt)), size, 0,
                    Channels.newChannel(new ByteArrayOutputStream()), null));
            assertTrue(e.getMessage().contains((size - 1) + " of " + size), e.getMessage());
        }
        assertEquals(0, Blobs.liveBlobThreads());
    }

    @Test
    void encrypt_readsExactlyPlaintextSize() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(Blobs.data(FIRST + 100, 4));
        BlobCipher.encrypt(secret, Channels.newChannel(in), FIRST + 10, 0,
                Channels.newChannel(new ByteArrayOutputStream()), null);
        assertEquals(90, in.available());
    }

    // ---- tampering ----

    private static BlobIntegrityException tampered(byte[] ct, long size, byte[] expectedDigest, byte[] ikm) {
        return assertThrows(BlobIntegrityException.class, () -> Blobs.decrypt(ikm, ct, size, expectedDigest));
    }

    private static BlobIntegrityException tampered(byte[] ct) {
        return tampered(ct, ct.length, digest, secret.ikm());
    }

    private static byte[] flip(int position) {
        byte[] ct = ciphertext.clone();
        ct[position] ^= 0x01;
        return ct;
    }

    @Test
    void bitFlipInHeaderLengthByte_isMalformedHeader() {
        assertTrue(tampered(flip(0)).getMessage().contains("header is malformed"));
    }

    @Test
    void bitFlipInSaltOrNoncePrefix_failsTheFirstSegment() {
        assertEquals("segment 1 of 4 failed authentication", tampered(flip(5)).getMessage());
        assertEquals("segment 1 of 4 failed authentication", tampered(flip(35)).getMessage());
    }

    @Test
    void bitFlipInAnySegment_namesTheSegment() {
        assertEquals("segment 1 of 4 failed authentication", tampered(flip(40)).getMessage());
        assertEquals("segment 1 of 4 failed authentication", tampered(flip(SEG / 2)).getMessage());
        assertEquals("segment 2 of 4 failed authentication", tampered(flip(SEG)).getMessage());
        assertEquals("segment 3 of 4 failed authentication", tampered(flip(2 * SEG + 12345)).getMessage());
        assertEquals("segment 4 of 4 failed authentication", tampered(flip(3 * SEG + 7)).getMessage());
        assertEquals("segment 4 of 4 failed authentication", tampered(flip(ciphertext.length - 1)).getMessage());
    }

    @Test
    void bitFlipInATag_namesTheSegment() {
        assertEquals("segment 1 of 4 failed authentication", tampered(flip(SEG - 16)).getMessage());
        assertEquals("segment 3 of 4 failed authentication", tampered(flip(3 * SEG - 1)).getMessage());
    }

    @Test
    void swappedSegments_failAtTheFirstMovedOne() {
        byte[] ct = ciphertext.clone();
        System.arraycopy(ciphertext, SEG, ct, 2 * SEG, SEG);
        System.arraycopy(ciphertext, 2 * SEG, ct, SEG, SEG);
        assertEquals("segment 2 of 4 failed authentication", tampered(ct).getMessage());
    }

    @Test
    void truncatedInput_isTruncated() {
        for (int cut : new int[] {0, 20, 40, SEG, SEG + 1000, 3 * SEG, ciphertext.length - 1}) {
            byte[] ct = Arrays.copyOf(ciphertext, cut);
            BlobIntegrityException e = tampered(ct, ciphertext.length, digest, secret.ikm());
            assertTrue(e.getMessage().startsWith("ciphertext is truncated"), cut + ": " + e.getMessage());
        }
    }

    @Test
    void droppedLastSegment_withTheShorterSize_failsTheNewLastSegment() {
        byte[] ct = Arrays.copyOf(ciphertext, 3 * SEG);
        assertEquals("segment 3 of 3 failed authentication",
                tampered(ct, ct.length, Blobs.sha256(ct), secret.ikm()).getMessage());
    }

    @Test
    void cutMidSegment_withTheShorterSize_failsThatSegment() {
        byte[] ct = Arrays.copyOf(ciphertext, 2 * SEG + 5000);
        assertEquals("segment 3 of 3 failed authentication",
                tampered(ct, ct.length, Blobs.sha256(ct), secret.ikm()).getMessage());
    }

    @Test
    void claimedSizeLargerThanInput_isTruncated() {
        BlobIntegrityException e = tampered(ciphertext, ciphertext.length + 100L, digest, secret.ikm());
        assertTrue(e.getMessage().startsWith("ciphertext is truncated"), e.getMessage());
    }

    @Test
    void appendedBytes_withTheLongerSize_fail() {
        byte[] ct = Arrays.copyOf(ciphertext, ciphertext.length + 100);
        assertEquals("segment 4 of 4 failed authentication",
                tampered(ct, ct.length, Blobs.sha256(ct), secret.ikm()).getMessage());
    }

    @Test
    void decrypt_readsExactlyCiphertextSize_andLeavesTrailingBytes() throws Exception {
        byte[] withTrailer = Arrays.copyOf(ciphertext, ciphertext.length + 1000);
        ByteArrayInputStream in = new ByteArrayInputStream(withTrailer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BlobCipher.decrypt(secret.ikm(), Channels.newChannel(in), ciphertext.length, digest, Channels.newChannel(out),
                null);
        assertArrayEquals(plaintext, out.toByteArray());
        assertEquals(1000, in.available());
    }

    @Test
    void wrongDigest_failsAtTheEnd() {
        byte[] wrong = digest.clone();
        wrong[31] ^= 1;
        assertEquals("SHA-256 of the ciphertext does not match the signed digest",
                tampered(ciphertext, ciphertext.length, wrong, secret.ikm()).getMessage());
    }

    @Test
    void wrongKey_failsTheFirstSegment() {
        byte[] ikm = secret.ikm();
        ikm[0] ^= 1;
        assertEquals("segment 1 of 4 failed authentication",
                tampered(ciphertext, ciphertext.length, digest, ikm).getMessage());
    }

    @Test
    void impossibleCiphertextSize_isRejectedBeforeReading() {
        BlobIntegrityException e = tampered(ciphertext, 3L * SEG + 16, digest, secret.ikm());
        assertTrue(e.getMessage().contains("impossible"), e.getMessage());
    }

    @Test
    void decrypt_checksArgumentLengths() {
        assertThrows(IllegalArgumentException.class, () -> Blobs.decrypt(new byte[31], ciphertext, ciphertext.length,
                digest));
        assertThrows(IllegalArgumentException.class, () -> Blobs.decrypt(secret.ikm(), ciphertext, ciphertext.length,
                new byte[20]));
    }

    // ---- failures inside the pipeline ----

    /** A sink that fails on its {@code failAt}-th write. */
    private static WritableByteChannel failingSink(int failAt) {
        return new WritableByteChannel() {
            private int writes;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (++writes == failAt) {
                    throw new IOException("disk full");
                }
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

    @Test
    void sinkFailure_propagatesFromEncryptAndDecrypt_withoutHangingOrLeakingThreads() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int failAt : new int[] {1, 2, 4}) {
                IOException e = assertThrows(IOException.class, () -> BlobCipher.encrypt(secret,
                        Channels.newChannel(new ByteArrayInputStream(plaintext)), SIZE, 0, failingSink(failAt), null));
                assertEquals("disk full", e.getMessage());
                e = assertThrows(IOException.class, () -> BlobCipher.decrypt(secret.ikm(),
                        Channels.newChannel(new ByteArrayInputStream(ciphertext)), ciphertext.length, digest,
                        failingSink(failAt), null));
                assertEquals("disk full", e.getMessage());
                assertEquals(0, Blobs.liveBlobThreads());
            }
        });
    }

    @Test
    void progressFailure_propagates() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Blobs.encrypt(secret, plaintext,
                    0, p -> {
                        if (p > SEG) {
                            throw new IllegalStateException("cancelled by the user");
                        }
                    }));
            assertEquals("cancelled by the user", e.getMessage());
            assertEquals(0, Blobs.liveBlobThreads());
        });
    }

    @Test
    void inputFailureInStage1_stopsTheWorker() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ReadableByteChannel in = new ReadableByteChannel() {
                private final ReadableByteChannel delegate = Channels.newChannel(new ByteArrayInputStream(plaintext));
                private long read;

                @Override
                public int read(ByteBuffer dst) throws IOException {
                    if (read > 2L * SEG) {
                        throw new IOException("network gone");
                    }
                    int n = delegate.read(dst);
                    read += Math.max(0, n);
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {}
            };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            IOException e = assertThrows(IOException.class, () -> BlobCipher.encrypt(secret, in, SIZE, 0,
                    Channels.newChannel(out), null));
            assertEquals("network gone", e.getMessage());
            assertEquals(0, Blobs.liveBlobThreads());
        });
    }

    @Test
    void interruptWhileTheSinkBlocks_endsBothThreads() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            CountDownLatch writing = new CountDownLatch(1);
            WritableByteChannel blocking = new WritableByteChannel() {
                @Override
                public int write(ByteBuffer src) throws IOException {
                    writing.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("sink interrupted");
                    }
                    return 0;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {}
            };
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    BlobCipher.encrypt(secret, Channels.newChannel(new ByteArrayInputStream(plaintext)), SIZE, 0,
                            blocking, null);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            caller.start();
            writing.await();
            caller.interrupt();
            caller.join();
            // the interrupt lands either in the wait for the sink (InterruptedIOException) or in a
            // read of the source, an interruptible channel, which closes it (ClosedByInterruptException)
            assertTrue(thrown.get() instanceof InterruptedIOException
                    || thrown.get() instanceof java.nio.channels.ClosedByInterruptException, String.valueOf(thrown.get()));
            assertEquals(0, Blobs.liveBlobThreads());
        });
    }

    /** Decrypts the first {@code k} segments, then continues from a rebuilt position, as a resumed download does. */
    private static byte[] decryptResumed(BlobSecret secret, byte[] plaintext, Blobs.Sealed sealed, long k) throws Exception {
        long ciphertextSize = sealed.ciphertext().length;
        byte[] header = Arrays.copyOf(sealed.ciphertext(), BlobCipher.HEADER_BYTES);
        long prefix = BlobCipher.plaintextOffset(k);
        BlobCipher.Position at = BlobCipher.resumeAfter(secret.ikm(), header,
                Channels.newChannel(new ByteArrayInputStream(plaintext, 0, (int) prefix)), k, ciphertextSize);
        assertEquals(k * SEG, at.ciphertextOffset());
        assertEquals(prefix, at.plaintextOffset());
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        long[] last = {-1};
        BlobCipher.decrypt(secret.ikm(), Channels.newChannel(new ByteArrayInputStream(sealed.ciphertext(), (int) at.ciphertextOffset(),
                (int) (ciphertextSize - at.ciphertextOffset()))), ciphertextSize, sealed.digest(), Channels.newChannel(rest),
                p -> last[0] = p, at);
        assertEquals(plaintext.length, last[0], "progress counts the resumed prefix too");
        byte[] all = new byte[plaintext.length];
        System.arraycopy(plaintext, 0, all, 0, (int) prefix);
        System.arraycopy(rest.toByteArray(), 0, all, (int) prefix, rest.size());
        assertEquals(plaintext.length - prefix, rest.size());
        return all;
    }

    @Test
    void decrypt_resumedAfterWholeSegments_yieldsThePlaintextAndChecksTheWholeDigest() throws Exception {
        BlobSecret secret = Blobs.secret(91);
        byte[] plaintext = Blobs.data(5L * SEG + 123, 92);
        Blobs.Sealed sealed = Blobs.encrypt(secret, plaintext, 0);
        for (long k : new long[] {0, 1, 2, 5}) {
            assertArrayEquals(plaintext, decryptResumed(secret, plaintext, sealed, k), "resumed after " + k);
        }
        assertEquals(0, BlobCipher.wholeSegments(FIRST - 1));
        assertEquals(1, BlobCipher.wholeSegments(FIRST));
        assertEquals(2, BlobCipher.wholeSegments(FIRST + LATER));
        assertThrows(IllegalArgumentException.class, () -> BlobCipher.resumeAfter(secret.ikm(),
                Arrays.copyOf(sealed.ciphertext(), BlobCipher.HEADER_BYTES),
                Channels.newChannel(new ByteArrayInputStream(plaintext)), 6, sealed.ciphertext().length));
    }

    @Test
    void decrypt_resumedFromAlteredPrefix_failsTheDigest() throws Exception {
        BlobSecret secret = Blobs.secret(93);
        byte[] plaintext = Blobs.data(3L * SEG, 94);
        Blobs.Sealed sealed = Blobs.encrypt(secret, plaintext, 0);
        byte[] altered = plaintext.clone();
        altered[100] ^= 1; // what was kept on disk is not what was decrypted
        assertThrows(BlobIntegrityException.class, () -> decryptResumed(secret, altered, sealed, 2));
    }
}
