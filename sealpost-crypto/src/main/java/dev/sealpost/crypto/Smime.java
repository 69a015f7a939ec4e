package dev.sealpost.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Seals and opens sealpost messages: S/MIME (RFC 8551) CMS SignedData inside CMS
 * AuthEnvelopedData, as DESIGN §2 fixes it, interoperable with {@code openssl cms} 3.0.
 *
 * <p>Sealed form: DER ContentInfo(AuthEnvelopedData, RFC 5083) with AES-256-GCM (RFC 5084;
 * 12-byte nonce, 16-byte tag), one RecipientInfo per recipient plus one for the sender, whose
 * encrypted content is the DER ContentInfo(SignedData, RFC 5652 §5) over the content as id-data,
 * carrying the signer's certificate and the signed attributes contentType, messageDigest,
 * signingTime and CMSAlgorithmProtection (RFC 6211). See {@link Suite} for the public-key
 * algorithms.
 *
 * <p>Everything happens in memory; content is meant to be bounded by the caller (DESIGN §3:
 * inline content up to tens of MiB, larger attachments as separately encrypted blobs).
 */
public final class Smime {
    private Smime() {}

    /**
     * Signs {@code content} as {@code sender}, then encrypts it to each recipient and to the
     * sender's own encryption certificate (so the sender can reopen what it sent). Certificates
     * with the same SHA-256 fingerprint get one RecipientInfo.
     *
     * @param content the bytes to protect (for sealpost, a MIME entity), any length that fits in memory
     * @param sender signs the message and is added as a recipient
     * @param recipientEncryptionCertificates the recipients' encryption certificates; may be empty
     * @return DER ContentInfo(AuthEnvelopedData), {@code application/pkcs7-mime;
     *     smime-type=authEnveloped-data}
     * @throws java.security.cert.CertificateException if a recipient certificate does not allow
     *     encryption or its key is weak (see {@link PublicIdentity#of})
     * @throws KeyUnlockException if {@code sender} was opened with {@link IdentityFiles#open} and
     *     its signing key does not decrypt now (for example a wrong passphrase)
     * @throws GeneralSecurityException if signing or encryption fails
     * @throws NullPointerException if an argument or a certificate is null
     */
    public static byte[] seal(byte[] content, Identity sender, Collection<X509Certificate> recipientEncryptionCertificates)
            throws GeneralSecurityException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sender, "sender");
        List<X509Certificate> recipients = new ArrayList<>(recipientEncryptionCertificates.size() + 1);
        for (X509Certificate cert : recipientEncryptionCertificates) {
            KeyPolicy.requireEncryption(Objects.requireNonNull(cert, "recipient certificate"));
            recipients.add(cert);
        }
        recipients.add(sender.encryptionCertificate());
        return Enveloping.envelope(Signing.sign(content, sender), recipients);
    }

    /**
     * Decrypts a sealed message for {@code recipient}. The result is not verified yet and gives
     * no access to the content: call {@link Envelope#verify} with the certificate trusted for
     * the sender.
     *
     * <p>Accepted input: DER ContentInfo(AuthEnvelopedData), or an S/MIME entity holding it
     * ({@code openssl cms -encrypt} without {@code -outform DER}). The decrypted content may be
     * DER ContentInfo(SignedData) or an S/MIME entity holding it ({@code openssl cms -sign}
     * without {@code -outform DER}).
     *
     * @param sealed the message bytes
     * @param recipient whose encryption key to use
     * @return the decrypted, still unverified message
     * @throws MalformedMessageException if the bytes are not a message sealpost can open
     *     (truncated, trailing bytes, EnvelopedData without authentication, RSA PKCS#1 v1.5 key
     *     transport, a cipher other than AES-GCM, or not SignedData inside)
     * @throws NotARecipientException if no RecipientInfo names {@code recipient}'s encryption certificate
     * @throws DecryptionFailedException if the key does not unwrap or the GCM tag does not verify;
     *     no plaintext is released
     * @throws KeyUnlockException if {@code recipient} was opened with {@link IdentityFiles#open}
     *     and its encryption key does not decrypt now (for example a wrong passphrase)
     * @throws NullPointerException if an argument is null
     */
    public static Envelope decrypt(byte[] sealed, Identity recipient)
            throws MalformedMessageException, NotARecipientException, DecryptionFailedException, KeyUnlockException {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(recipient, "recipient");
        try {
            return Opening.decrypt(sealed, recipient);
        } catch (RuntimeException e) {
            // Bouncy Castle reports many structural errors as unchecked exceptions; its ASN.1
            // parser bounds nesting depth, so deep structures end here too, not in a StackOverflowError.
            throw new MalformedMessageException("the message is not valid CMS", e);
        }
    }
}
