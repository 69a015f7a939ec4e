package dev.sealpost.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.testkit.FuzzBugs;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Fuzz targets for opening a sealed message: the bytes a relay or a file hands to the receiver.
 * Without JAZZER_FUZZ they run once per committed seed (SmimeFuzzTestInputs/METHOD/); bench/fuzz.sh
 * fuzzes them. A target fails only on what the API does not document: an unchecked exception or
 * an Error (or a programming error of sealpost's hidden inside a documented exception).
 */
class SmimeFuzzTest {

    /**
     * The receiver's whole path: decrypt (AuthEnvelopedData, ECDH or RSA-OAEP), then look at the
     * carried certificate and verify the SignedData inside against the trusted signer. Seeds are
     * sealed to the fixed fuzz identities, so mutations reach past the RecipientInfos.
     */
    @FuzzTest
    void decrypt(byte[] sealed) {
        for (Identity recipient : new Identity[] {FuzzIdentities.P256, FuzzIdentities.RSA}) {
            Envelope envelope;
            try {
                envelope = Smime.decrypt(sealed, recipient);
            } catch (NotARecipientException e) {
                continue;
            } catch (MalformedMessageException | DecryptionFailedException | KeyUnlockException e) {
                FuzzBugs.rethrowOurs(e);
                return;
            }
            openEnvelope(envelope, recipient);
            return;
        }
    }

    /**
     * What decryption releases, parsed as SignedData and verified: reached directly, since an
     * authenticated cipher lets no mutated plaintext through {@link #decrypt}.
     */
    @FuzzTest
    void verify(byte[] plaintext) {
        Envelope envelope;
        try {
            envelope = Envelope.parse(plaintext);
        } catch (MalformedMessageException e) {
            FuzzBugs.rethrowOurs(e);
            return;
        } catch (RuntimeException e) {
            // Smime.decrypt turns Bouncy Castle's unchecked parse errors into MalformedMessageException.
            FuzzBugs.rethrowOurs(e);
            return;
        }
        openEnvelope(envelope, FuzzIdentities.P256);
        openEnvelope(envelope, FuzzIdentities.RSA);
    }

    private static void openEnvelope(Envelope envelope, Identity signer) {
        Optional<X509Certificate> claimed = envelope.claimedSignerCertificate();
        claimed.ifPresent(X509Certificate::getSubjectX500Principal);
        try {
            Verified v = envelope.verify(signer.signingCertificate());
            v.content();
        } catch (GeneralSecurityException e) {
            FuzzBugs.rethrowOurs(e);
        }
    }
}
