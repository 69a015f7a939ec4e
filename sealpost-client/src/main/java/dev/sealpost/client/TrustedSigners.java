package dev.sealpost.client;

import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.PublicIdentity;
import java.io.IOException;
import java.util.Optional;

/**
 * The one place that decides whose signature a receiver accepts (DESIGN §2: never the
 * certificate a message carries). A message from the relay must be signed by the account the
 * relay names as its sender: the receiver itself, or that account's pinned certificates
 * ({@link PinnedKeys}, pinned on first use, a changed key refused). A sealed file must be signed
 * by the certificate given with {@code --from}, or else by the receiver or a pinned contact whose
 * signing fingerprint matches the certificate the message claims.
 */
public final class TrustedSigners {
    private TrustedSigners() {}

    /**
     * @param keys   the receiver's pinned keys
     * @param sender the sender's account name, as the relay gives it
     * @return trust for a message the relay delivered from {@code sender}
     */
    public static LetterOpener.SignerLookup relaySender(PinnedKeys keys, String sender) {
        return claimed -> {
            PublicIdentity p = keys.identity(sender);
            return Optional.of(new TrustedSigner(sender, p.signingCertificate()));
        };
    }

    /**
     * @param me       the receiver
     * @param contacts the receiver's pinned contacts
     * @param explicit a signer the user named for this file, overriding the rest
     * @return trust for a sealed file
     */
    public static LetterOpener.SignerLookup offline(Identity me, Contacts contacts, Optional<TrustedSigner> explicit) {
        return claimed -> {
            if (explicit.isPresent()) {
                return explicit;
            }
            if (claimed.isEmpty()) {
                return Optional.empty();
            }
            Fingerprint fp = Fingerprint.of(claimed.get());
            if (fp.equals(me.publicIdentity().signingFingerprint())) {
                return Optional.of(new TrustedSigner(me.name(), me.signingCertificate()));
            }
            return pinnedWith(contacts, fp);
        };
    }

    private static Optional<TrustedSigner> pinnedWith(Contacts contacts, Fingerprint fp) throws IOException {
        for (String name : contacts.names()) {
            PublicIdentity p = contacts.get(name).orElseThrow();
            if (p.signingFingerprint().equals(fp)) {
                return Optional.of(new TrustedSigner(name, p.signingCertificate()));
            }
        }
        return Optional.empty();
    }
}
