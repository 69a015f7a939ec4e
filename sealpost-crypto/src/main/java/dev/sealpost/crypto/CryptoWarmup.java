package dev.sealpost.crypto;

/**
 * Gets this JVM's AES-GCM (SunJCE, NIST SP 800-38D) compiled before it is needed, for a
 * process that runs long and opens messages now and then, such as the web UI.
 *
 * <p>SunJCE buffers GCM decryption until {@code doFinal}, so decrypting one 5 MB message is one
 * call, and the JIT, which counts calls, never compiles that path (nor reaches the AES/GHASH
 * intrinsic) in a process that opens a few messages: measured, 5 MB decrypted at ~100 MB/s,
 * about half of opening a 5 MB photo message. {@link GcmWarmup}'s thousands of small calls under
 * a throw-away key fix that in about 20,000 calls of 1 KiB.
 */
public final class CryptoWarmup {
    private CryptoWarmup() {}

    /**
     * Runs the warm-up of both directions to its end on the calling thread (tens of milliseconds
     * of one core); returns at once if it ran before in this JVM. Touches no real key or data.
     */
    public static void aesGcm() {
        for (boolean encrypt : new boolean[] {false, true}) {
            GcmWarmup w = new GcmWarmup(encrypt);
            while (w.step()) {
                Thread.onSpinWait();
            }
        }
    }
}
