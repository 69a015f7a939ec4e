package dev.sealpost.crypto;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets SunJCE's AES-GCM compiled in a fresh JVM, using a thread that would otherwise wait.
 *
 * <p>The JDK's GCM reaches its AES/GHASH intrinsic ({@code GaloisCounterMode.implGCMCrypt0}) only
 * from code the JIT has compiled, and the JIT counts calls, not bytes. Decryption is the bad case:
 * SunJCE buffers GCM decryption until {@code doFinal}, so each 1 MiB segment is one call, and a
 * fresh JVM decrypted the first several hundred MiB at under 100 MB/s. Encryption calls {@code
 * update} per {@link BlobCipher#CHUNK} and gets there after tens of MiB. Thousands of calls over
 * 1 KiB of zeros under a throw-away key, through the same entry points ({@code update} when
 * encrypting, {@code doFinal} when decrypting: compiled code inlined into one path does not serve
 * the other), trigger that compilation within a few MiB of work. {@link BlobCipher}'s first
 * worker thread runs them in short steps while it has no segment to process. Nothing here
 * touches real keys or data. Measured with {@code BlobCipherThroughput} (1 GiB, fresh JVM, two
 * cores): decryption's calling thread spent 9.5 s of CPU without this and 0.6 s with it,
 * encryption's 1.4 to 1.8 s without and 0.75 s with.
 */
final class GcmWarmup {
    /** Bytes per call: at least SunJCE's PARALLEL_LEN (512), so that every call reaches implGCMCrypt. */
    private static final int CALL_BYTES = 1024;
    /** Calls per {@link #step}: about half a millisecond before compilation. */
    private static final int CALLS_PER_STEP = 32;
    /** Stop after this many calls per mode in the JVM, whatever the probe says (C2's thresholds are ~10^4). */
    private static final long MAX_CALLS = 20_000;
    /** A probe call of this size that takes less than {@link #FAST_NANOS} means the intrinsic is in use. */
    private static final int PROBE_BYTES = 64 * 1024;
    private static final long FAST_NANOS = 100_000;
    private static final SecretKey KEY = new SecretKeySpec(new byte[32], "AES");

    private static volatile boolean encryptDone;
    private static volatile boolean decryptDone;
    private static final AtomicLong ENCRYPT_CALLS = new AtomicLong();
    private static final AtomicLong DECRYPT_CALLS = new AtomicLong();
    private static final AtomicLong NONCES = new AtomicLong();

    private final boolean encrypt;
    private final byte[] in = new byte[PROBE_BYTES + 16];
    private final byte[] out = new byte[PROBE_BYTES + 16];
    private Cipher cipher;
    private byte[] smallCiphertext;
    private byte[] probeCiphertext;
    private final GCMParameterSpec fixedNonce = new GCMParameterSpec(128, new byte[12]);

    /** @param encrypt true to warm the encryption path ({@code update}), false for decryption ({@code doFinal}) */
    GcmWarmup(boolean encrypt) {
        this.encrypt = encrypt;
    }

    /** @return true if this JVM's GCM path for the mode is not known to be compiled yet */
    static boolean needed(boolean encrypt) {
        return !(encrypt ? encryptDone : decryptDone);
    }

    /**
     * Runs one short step.
     *
     * @return true if more steps are wanted
     */
    boolean step() {
        if (!needed(encrypt)) {
            return false;
        }
        boolean done;
        try {
            if (cipher == null) {
                cipher = Cipher.getInstance("AES/GCM/NoPadding", Providers.sunJce());
                if (!encrypt) {
                    cipher.init(Cipher.ENCRYPT_MODE, KEY, fixedNonce);
                    smallCiphertext = cipher.doFinal(in, 0, CALL_BYTES);
                    cipher.init(Cipher.ENCRYPT_MODE, KEY, new GCMParameterSpec(128, new byte[] {1}));
                    probeCiphertext = cipher.doFinal(in, 0, PROBE_BYTES);
                }
            }
            long probe = encrypt ? encryptStep() : decryptStep();
            done = probe < FAST_NANOS
                    || (encrypt ? ENCRYPT_CALLS : DECRYPT_CALLS).addAndGet(CALLS_PER_STEP) >= MAX_CALLS;
        } catch (GeneralSecurityException e) {
            done = true; // the real work will fail with a proper message
        }
        if (done) {
            if (encrypt) {
                encryptDone = true;
            } else {
                decryptDone = true;
            }
        }
        return !done;
    }

    /** @return the nanoseconds of a probe call */
    private long encryptStep() throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        long n = NONCES.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (n >>> (8 * i));
        }
        nonce[11] = 2; // never the decryption warm-up's nonces
        cipher.init(Cipher.ENCRYPT_MODE, KEY, new GCMParameterSpec(128, nonce));
        for (int i = 0; i < CALLS_PER_STEP; i++) {
            cipher.update(in, 0, CALL_BYTES, out, 0);
        }
        long start = System.nanoTime();
        cipher.update(in, 0, PROBE_BYTES, out, 0);
        return System.nanoTime() - start;
    }

    /** @return the nanoseconds of a probe call */
    private long decryptStep() throws GeneralSecurityException {
        for (int i = 0; i < CALLS_PER_STEP; i++) {
            cipher.init(Cipher.DECRYPT_MODE, KEY, fixedNonce);
            cipher.doFinal(smallCiphertext, 0, smallCiphertext.length, out, 0);
        }
        cipher.init(Cipher.DECRYPT_MODE, KEY, new GCMParameterSpec(128, new byte[] {1}));
        long start = System.nanoTime();
        cipher.doFinal(probeCiphertext, 0, probeCiphertext.length, out, 0);
        return System.nanoTime() - start;
    }
}
