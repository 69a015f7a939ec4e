package dev.sealpost.protocol;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords, RFC 6238, as authenticator apps make them: HMAC-SHA-1
 * (RFC 2104) over the number of 30-second steps since the Unix epoch, dynamically truncated to
 * 6 decimal digits (HOTP, RFC 4226 §5.3).
 *
 * <p>Written on {@link Mac} rather than taken from a library: the algorithm is these few lines,
 * the RFC's Appendix B vectors check them, and the relay needs the step number of a match (for
 * refusing a code used twice, RFC 6238 §5.2), which the small TOTP libraries do not expose.
 */
public final class Totp {
    /** Seconds per time step (RFC 6238 §4.1, X). */
    public static final int STEP_SECONDS = 30;
    /** Digits of a code. */
    public static final int DIGITS = 6;
    /** Steps accepted either side of the current one, for clock drift and typing time (RFC 6238 §5.2). */
    public static final int WINDOW = 1;
    /** Bytes of a new secret: 160 bits, the HMAC-SHA-1 output size (RFC 4226 §4, R6). */
    public static final int SECRET_BYTES = 20;

    private Totp() {}

    /** @return the time step containing {@code t} (RFC 6238 §4.2, T) */
    public static long step(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), STEP_SECONDS);
    }

    /**
     * @param secret the shared secret (any length; authenticator apps take 10 to 64 bytes)
     * @param step   the time step
     * @param digits digits of the code, 6 to 8
     * @return the code, zero-padded to {@code digits}
     */
    public static String code(byte[] secret, long step, int digits) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("6 to 8 digits, not " + digits);
        }
        byte[] h;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JDK", e);
        }
        int offset = h[h.length - 1] & 0x0f;
        int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                | (h[offset + 3] & 0xff);
        int modulus = (int) Math.pow(10, digits);
        return String.format("%0" + digits + "d", binary % modulus);
    }

    /**
     * Finds the step within {@link #WINDOW} of {@code now} whose 6-digit code is {@code code},
     * comparing in constant time.
     *
     * @return the matching step, or -1 if none matches (or {@code code} is not 6 digits)
     */
    public static long match(byte[] secret, String code, Instant now) {
        if (code == null || !code.matches("[0-9]{" + DIGITS + "}")) {
            return -1;
        }
        long found = -1;
        long current = step(now);
        for (long s = current - WINDOW; s <= current + WINDOW; s++) {
            if (MessageDigest.isEqual(code(secret, s, DIGITS).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    code.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) && found < 0) {
                found = s;
            }
        }
        return found;
    }
}
