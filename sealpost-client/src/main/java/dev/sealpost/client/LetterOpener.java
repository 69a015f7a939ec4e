package dev.sealpost.client;

import dev.sealpost.crypto.Envelope;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Smime;
import dev.sealpost.crypto.Verified;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Opens a sealed message for its recipient: decrypt (CMS AuthEnvelopedData), find the
 * signer the receiver trusts, verify the CMS SignedData against that certificate only (never
 * the one the message carries), parse the MIME entity, and check the protected headers
 * (RFC 9788): the signed From is the trusted signer, and the receiver is among the signed
 * recipients (or is the sender, opening its own copy).
 */
public final class LetterOpener {

    /** Finds the signer to verify against, given what the message claims. */
    @FunctionalInterface
    public interface SignerLookup {
        /**
         * @param claimedSignerCertificate the certificate the message carries for its signer,
         *                                 untrusted; may be empty
         * @return the trusted signer, or empty if none applies
         * @throws IOException if the trust store cannot be read
         * @throws GeneralSecurityException if trust for the signer is refused (e.g. a changed key)
         */
        Optional<TrustedSigner> find(Optional<X509Certificate> claimedSignerCertificate)
                throws IOException, GeneralSecurityException;
    }

    private LetterOpener() {}

    /**
     * @param sealed the DER S/MIME message
     * @param me     the receiver's identity (private keys)
     * @param lookup where trust comes from
     * @return the verified letter
     * @throws IOException if the message is malformed
     * @throws GeneralSecurityException if decryption, verification or a header check fails,
     *                                  or no trusted signer is found
     */
    public static Opened open(byte[] sealed, Identity me, SignerLookup lookup) throws IOException, GeneralSecurityException {
        Envelope envelope = Smime.decrypt(sealed, me);
        Optional<X509Certificate> claimed = envelope.claimedSignerCertificate();
        TrustedSigner signer = lookup.find(claimed).orElseThrow(() -> new MessageRejectedException(
                "signer " + claimed.map(c -> Fingerprint.of(c).toString()).orElse("(no certificate in message)")
                        + " is not trusted: pass --from with the sender's signing certificate, or receive from them through the relay first"));
        Verified verified = envelope.verify(signer.signingCertificate());
        Letter letter = Letter.parse(verified.content());
        if (!letter.from().equals(signer.name())) {
            throw new MessageRejectedException("signed From is '" + letter.from() + "' but the signer is " + signer.name());
        }
        if (!letter.to().contains(me.name()) && !letter.from().equals(me.name())) {
            throw new MessageRejectedException("message is signed for " + String.join(", ", letter.to())
                    + ", not for " + me.name() + " (re-addressed?)");
        }
        return new Opened(letter, signer.name(), Fingerprint.of(signer.signingCertificate()), verified.signingTime());
    }
}
