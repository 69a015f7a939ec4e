package dev.sealpost.crypto;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Locale;

/**
 * The public-key algorithms of an identity. Both suites interoperate with OpenSSL 3.0 CMS.
 *
 * <ul>
 *   <li>{@link #RSA}: RSASSA-PSS signatures (SHA-256, MGF1-SHA-256, 32-byte salt, RFC 4056) and
 *       RSAES-OAEP key transport (SHA-256, MGF1-SHA-256, RFC 3560 / RFC 4055); 2048 to 4096-bit keys.
 *   <li>{@link #P256}: ECDSA with SHA-256 (RFC 5753 §7.1.3 / RFC 5758) and ephemeral-static ECDH
 *       key agreement, {@code dhSinglePass-stdDH-sha256kdf-scheme} with AES-256 key wrap
 *       (RFC 5753 §3.1, RFC 3394), on NIST P-256.
 * </ul>
 */
public enum Suite {
    /** RSA keys: RSASSA-PSS signatures, RSAES-OAEP key transport. */
    RSA,
    /** NIST P-256 keys: ECDSA signatures, ECDH key agreement. */
    P256;

    /**
     * Parses a suite name as typed on a command line.
     *
     * @param s {@code "rsa"} or {@code "p256"}, any case, surrounding blanks ignored
     * @return the suite
     * @throws IllegalArgumentException if {@code s} is null or names no suite
     */
    public static Suite parse(String s) {
        String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "rsa" -> RSA;
            case "p256", "p-256" -> P256;
            default -> throw new IllegalArgumentException("unknown key suite '" + abbreviate(s) + "' (expected rsa or p256)");
        };
    }

    /** @return the lowercase name {@link #parse(String)} accepts: {@code rsa} or {@code p256} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param key an RSA or EC public key
     * @return the suite the key belongs to; EC keys map to {@link #P256} without a curve check
     *     (see {@link KeyPolicy} for that)
     * @throws IllegalArgumentException for any other key type
     */
    static Suite of(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return RSA;
        }
        if (key instanceof ECPublicKey) {
            return P256;
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.strip().replaceAll("\\p{Cntrl}", "?");
        return one.length() > 20 ? one.substring(0, 17) + "..." : one;
    }
}
