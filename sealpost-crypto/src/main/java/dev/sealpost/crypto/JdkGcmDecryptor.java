package dev.sealpost.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.operator.InputAEADDecryptor;

/**
 * AES-GCM decryption of AuthEnvelopedData content (RFC 5083 §2.1, RFC 5084 §3.2) by the JDK's
 * SunJCE provider, in the shape Bouncy Castle's recipient classes expect.
 *
 * <p>Bouncy Castle writes the DER authAttrs (when present) to {@link #getAADStream()}, then hands
 * {@link #getInputStream} the ciphertext followed by the mac. The returned stream releases no
 * byte until the whole input is read and the tag has verified: the JDK's GCM decryption
 * buffers until {@code doFinal} anyway, and a caller must never see unauthenticated plaintext.
 * A tag mismatch surfaces as an {@link IOException} on the first read. Input goes to the cipher
 * in {@link ChunkedContent#CHUNK} pieces so that the JIT can switch to the intrinsic path part-way
 * through large content.
 */
final class JdkGcmDecryptor implements InputAEADDecryptor {
    private final AlgorithmIdentifier algorithm;
    private final Cipher cipher;
    private final int tagBytes;
    private byte[] mac;

    /**
     * @param algorithm the content-encryption AlgorithmIdentifier, already checked by {@link GcmPolicy}
     * @param key the recovered content-encryption key
     * @throws CMSException if the key length does not fit the algorithm or the cipher cannot start
     */
    JdkGcmDecryptor(AlgorithmIdentifier algorithm, Key key) throws CMSException {
        this.algorithm = algorithm;
        byte[] raw = key.getEncoded();
        try {
            GcmPolicy.Params p = GcmPolicy.parameters(algorithm);
            if (raw == null || raw.length != p.keyBytes()) {
                throw new CMSException("content-encryption key has the wrong length");
            }
            tagBytes = p.tagBytes();
            cipher = Cipher.getInstance("AES/GCM/NoPadding", Providers.sunJce());
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(tagBytes * 8, p.nonce()));
        } catch (GeneralSecurityException | MalformedMessageException e) {
            throw new CMSException("cannot start AES-GCM decryption", e);
        } finally {
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
        }
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
    }

    @Override
    public OutputStream getAADStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                cipher.updateAAD(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                cipher.updateAAD(b, off, len);
            }
        };
    }

    @Override
    public InputStream getInputStream(InputStream ciphertextAndTag) {
        return new InputStream() {
            private InputStream plaintext;

            private InputStream plaintext() throws IOException {
                if (plaintext == null) {
                    byte[] all = ciphertextAndTag.readAllBytes();
                    try {
                        if (all.length < tagBytes) {
                            throw new IOException("the ciphertext is shorter than the tag");
                        }
                        byte[] out = new byte[all.length - tagBytes];
                        int n = 0;
                        for (int off = 0; off < all.length; off += ChunkedContent.CHUNK) {
                            n += cipher.update(all, off, Math.min(ChunkedContent.CHUNK, all.length - off), out, n);
                        }
                        n += cipher.doFinal(out, n);
                        mac = Arrays.copyOfRange(all, all.length - tagBytes, all.length);
                        plaintext = new ByteArrayInputStream(out, 0, n);
                    } catch (GeneralSecurityException e) {
                        throw new IOException("AES-GCM tag does not verify", e);
                    }
                }
                return plaintext;
            }

            @Override
            public int read() throws IOException {
                return plaintext().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return plaintext().read(b, off, len);
            }
        };
    }

    /** @return the verified tag, or null before the content was read */
    @Override
    public byte[] getMAC() {
        return mac == null ? null : mac.clone();
    }
}
