package dev.sealpost.crypto;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The content of a message whose signature verified against a trusted certificate.
 *
 * <p>The content array is copied on the way in and on the way out, so a {@code Verified} never
 * changes. {@link #toString()} shows sizes, not content.
 *
 * @param content the signed bytes (the encapsulated id-data content), possibly empty
 * @param signer the trusted certificate the signature verified against (never the certificate
 *     the message carried)
 * @param signingTime the signingTime signed attribute (RFC 5652 §11.3) as the signer's clock
 *     claimed it, or {@code null} if the signature has none; the signer controls this value
 */
public record Verified(byte[] content, X509Certificate signer, Instant signingTime) {

    /** @throws NullPointerException if {@code content} or {@code signer} is null */
    public Verified {
        content = Objects.requireNonNull(content, "content").clone();
        Objects.requireNonNull(signer, "signer");
    }

    /** @return a copy of the signed bytes */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** Equal when content bytes, signer and signing time are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Verified v && Arrays.equals(content, v.content) && signer.equals(v.signer)
                && Objects.equals(signingTime, v.signingTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(content), signer, signingTime);
    }

    /** @return content length, signer fingerprint and signing time; never the content */
    @Override
    public String toString() {
        return "Verified[content=" + content.length + " bytes, signer=" + Fingerprint.of(signer) + ", signingTime=" + signingTime + "]";
    }
}
