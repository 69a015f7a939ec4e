package dev.sealpost.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 fingerprint of a certificate's DER encoding (the value {@code openssl x509
 * -fingerprint -sha256} prints), written {@code SHA256:} followed by 64 lowercase hex digits.
 *
 * <p>Fingerprints are what people compare out of band to pin a contact or a relay; they are
 * public values, never secrets.
 *
 * @param hex 64 lowercase hexadecimal digits (32 bytes)
 */
public record Fingerprint(String hex) {
    private static final String PREFIX = "SHA256:";

    /**
     * @throws IllegalArgumentException if {@code hex} is not 64 lowercase hex digits
     */
    public Fingerprint {
        if (hex == null || !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits");
        }
    }

    /**
     * Fingerprints a certificate.
     *
     * @param certificate any X.509 certificate
     * @return SHA-256 over its DER encoding
     * @throws IllegalArgumentException if the certificate cannot be encoded
     */
    public static Fingerprint of(X509Certificate certificate) {
        try {
            return of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /**
     * Fingerprints DER bytes.
     *
     * @param der a DER-encoded certificate
     * @return SHA-256 over {@code der}
     */
    public static Fingerprint of(byte[] der) {
        try {
            return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Parses what a person pastes: {@code SHA256:} (optional, any case) followed by 64 hex
     * digits, with or without {@code :} separators as OpenSSL prints them.
     *
     * @param text the fingerprint as typed
     * @return the fingerprint
     * @throws IllegalArgumentException if {@code text} is not a SHA-256 fingerprint
     */
    public static Fingerprint parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing fingerprint");
        }
        String t = text.strip();
        if (t.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            t = t.substring(PREFIX.length());
        }
        t = t.replace(":", "").toLowerCase(Locale.ROOT);
        if (!t.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint (expected SHA256: and 64 hex digits): " + abbreviate(text));
        }
        return new Fingerprint(t);
    }

    /** @return true if this is the fingerprint of {@code certificate} */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(hex.getBytes(), of(certificate).hex.getBytes());
    }

    /** @return {@code SHA256:} followed by 64 lowercase hex digits */
    @Override
    public String toString() {
        return PREFIX + hex;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }
}
