package dev.sealpost.client;

import dev.sealpost.crypto.Fingerprint;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A number two people compare, read aloud or side by side, to know that neither sees a
 * swapped key for the other: 60 digits made of both signing certificates' SHA-256
 * fingerprints, the same on both sides.
 *
 * <p>The encoding is Signal's displayable numeric fingerprint (libsignal
 * {@code NumericFingerprintGenerator}, "safety numbers"): each side's 30 digits are six
 * 5-byte big-endian chunks of its 32-byte fingerprint, each reduced modulo 100000 to 5
 * digits; the two halves are sorted and joined, so both people get the same 60 digits. Signal
 * first iterates SHA-512 5,200 times over the public key to make a brute-forced look-alike
 * dearer; here each half is already a SHA-256 over the whole certificate and covers about
 * 99.7 bits (6 × log2 100000), far beyond a search for a matching key.
 *
 * @param digits 60 decimal digits
 */
public record SafetyNumber(String digits) {
    /** @throws IllegalArgumentException if {@code digits} is not 60 decimal digits */
    public SafetyNumber {
        if (digits == null || !digits.matches("[0-9]{60}")) {
            throw new IllegalArgumentException("a safety number is 60 digits");
        }
    }

    /**
     * @param mine   my signing certificate's fingerprint
     * @param theirs the contact's signing certificate's fingerprint
     * @return the number; {@code of(a, b)} equals {@code of(b, a)}
     */
    public static SafetyNumber of(Fingerprint mine, Fingerprint theirs) {
        String a = half(Objects.requireNonNull(mine, "mine"));
        String b = half(Objects.requireNonNull(theirs, "theirs"));
        return new SafetyNumber(a.compareTo(b) <= 0 ? a + b : b + a);
    }

    private static String half(Fingerprint fp) {
        byte[] bytes = HexFormat.of().parseHex(fp.hex());
        StringBuilder out = new StringBuilder(30);
        for (int chunk = 0; chunk < 6; chunk++) {
            long v = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, chunk * 5, chunk * 5 + 5)).longValueExact();
            out.append(String.format("%05d", v % 100_000));
        }
        return out.toString();
    }

    /** @return the digits in twelve groups of five, separated by spaces: {@code "12345 67890 ..."} */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(71);
        for (int i = 0; i < 60; i += 5) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(digits, i, i + 5);
        }
        return out.toString();
    }
}
