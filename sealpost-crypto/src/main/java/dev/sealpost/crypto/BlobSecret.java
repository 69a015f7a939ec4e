package dev.sealpost.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The per-blob secret of {@link BlobCipher}: the HKDF input keying material and the two values
 * Tink's AES-GCM-HKDF streaming format draws at random for each ciphertext, fixed here so that
 * encryption is deterministic.
 *
 * <p>{@code ikm} (32 bytes) is the HKDF-SHA256 input keying material (RFC 5869); {@code salt}
 * (32 bytes) is the HKDF salt, written in clear in the blob header; {@code noncePrefix} (7 bytes)
 * starts every segment's 12-byte AES-GCM nonce and is written in clear in the header too. With all
 * three fixed, the ciphertext of a given plaintext is byte-identical every time, which is what
 * lets an interrupted upload resume: see {@link BlobCipher#encrypt}. Only {@code ikm} is secret
 * towards someone who holds the ciphertext; decryption needs nothing else.
 *
 * <p>A secret must encrypt one plaintext only: two different plaintexts under the same secret
 * reuse GCM nonces under the same key, which breaks confidentiality and authenticity (NIST SP
 * 800-38D §8). Use {@link #generate} for every new blob.
 *
 * <p>The record copies arrays in and out, compares by content and never prints key material.
 *
 * @param ikm the 32-byte HKDF input keying material
 * @param salt the 32-byte HKDF salt
 * @param noncePrefix the 7-byte nonce prefix
 */
public record BlobSecret(byte[] ikm, byte[] salt, byte[] noncePrefix) {
    /** Length of {@link #ikm()} in bytes. */
    public static final int IKM_BYTES = 32;
    /** Length of {@link #salt()} in bytes (Tink: the derived key size). */
    public static final int SALT_BYTES = 32;
    /** Length of {@link #noncePrefix()} in bytes (Tink: {@code NONCE_PREFIX_IN_BYTES}). */
    public static final int NONCE_PREFIX_BYTES = 7;

    /**
     * Copies the arrays and checks their lengths.
     *
     * @throws IllegalArgumentException if {@code ikm} is not 32 bytes, {@code salt} not 32 bytes
     *     or {@code noncePrefix} not 7 bytes
     * @throws NullPointerException if an argument is null
     */
    public BlobSecret {
        ikm = copy(ikm, IKM_BYTES, "ikm");
        salt = copy(salt, SALT_BYTES, "salt");
        noncePrefix = copy(noncePrefix, NONCE_PREFIX_BYTES, "noncePrefix");
    }

    /**
     * Draws a fresh secret.
     *
     * @param random the source of randomness, for example a {@link SecureRandom} shared by the process
     * @return 32 + 32 + 7 fresh random bytes
     * @throws NullPointerException if {@code random} is null
     */
    public static BlobSecret generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] ikm = new byte[IKM_BYTES];
        byte[] salt = new byte[SALT_BYTES];
        byte[] prefix = new byte[NONCE_PREFIX_BYTES];
        random.nextBytes(ikm);
        random.nextBytes(salt);
        random.nextBytes(prefix);
        try {
            return new BlobSecret(ikm, salt, prefix);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /** @return a copy of the 32-byte input keying material */
    @Override
    public byte[] ikm() {
        return ikm.clone();
    }

    /** @return a copy of the 32-byte salt */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** @return a copy of the 7-byte nonce prefix */
    @Override
    public byte[] noncePrefix() {
        return noncePrefix.clone();
    }

    /** Package-private access without a copy, for {@link BlobCipher}; callers must not modify. */
    byte[] ikmRef() {
        return ikm;
    }

    byte[] saltRef() {
        return salt;
    }

    byte[] noncePrefixRef() {
        return noncePrefix;
    }

    /** @return true if {@code o} is a BlobSecret with the same bytes in all three fields */
    @Override
    public boolean equals(Object o) {
        return o instanceof BlobSecret other
                && Arrays.equals(ikm, other.ikm)
                && Arrays.equals(salt, other.salt)
                && Arrays.equals(noncePrefix, other.noncePrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(ikm), Arrays.hashCode(salt), Arrays.hashCode(noncePrefix));
    }

    /** @return a fixed text without key material */
    @Override
    public String toString() {
        return "BlobSecret[redacted]";
    }

    private static byte[] copy(byte[] value, int length, String name) {
        Objects.requireNonNull(value, name);
        if (value.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes, not " + value.length);
        }
        return value.clone();
    }
}
