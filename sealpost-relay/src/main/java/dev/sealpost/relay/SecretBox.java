package dev.sealpost.relay;

import dev.sealpost.crypto.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The relay's secrets at rest (today: TOTP secrets) encrypted under one relay key: AES-256-GCM
 * (NIST SP 800-38D) with a random 96-bit nonce per value and the owning account's name as
 * additional authenticated data, so a value copied to another account's row does not decrypt.
 * The key is 32 random bytes in {@code secrets.key} (0600) beside the TLS key ({@code DATA/tls}, or
 * the {@code --tls-dir} that nodes of one relay share), made on first start; a
 * stolen database without that file reveals no secret. Back it up with the database.
 */
final class SecretBox {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretBox(SecretKey key) {
        this.key = key;
    }

    /**
     * @param file the key file; created (0600) with a new random key if missing
     * @throws IOException if it cannot be read or written, or does not hold 32 bytes
     */
    static SecretBox loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            try {
                AtomicFiles.createNew(file, fresh, AtomicFiles.OWNER_ONLY);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another start made it first: read theirs
            } finally {
                Arrays.fill(fresh, (byte) 0);
            }
        }
        byte[] raw = Files.readAllBytes(file);
        try {
            if (raw.length != 32) {
                throw new IOException(file + " is damaged: a relay secrets key is 32 bytes, this has " + raw.length);
            }
            return new SecretBox(new SecretKeySpec(raw, "AES"));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** @return base64 of nonce || ciphertext || tag */
    String seal(byte[] plaintext, String owner) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext);
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /**
     * @return the plaintext of {@link #seal}
     * @throws IllegalStateException if the value is damaged, belongs to another owner, or was
     *                               sealed under another key (the key file was replaced)
     */
    byte[] open(String sealed, String owner) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored secret of " + owner + " does not decrypt under this relay's secrets.key", e);
        }
    }
}
