package dev.sealpost.client;

import dev.sealpost.client.relay.AccountApi;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.KeyBundle;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Other people's certificates as the receiver trusts them: fetched from the relay's key
 * directory and pinned on first use ({@link Contacts}); from then on a changed certificate is
 * refused ({@link Contacts.KeyChangedException}) until the user re-verifies a fingerprint. A
 * user who trusts an organisation CA ({@code sealpost ca trust}) accepts exactly the
 * certificates it issued for each name instead ({@link Contacts#organisationTrust}).
 * The user's own name resolves to their own identity, never to the directory.
 */
public final class PinnedKeys {
    private final Identity me;
    private final Contacts contacts;
    private final AccountApi directory;
    private final Consumer<String> notices;

    /**
     * @param me        the user
     * @param contacts  their pins
     * @param directory the relay's key directory
     * @param notices   where a first-use pin is reported, one line with the signing fingerprint
     */
    public PinnedKeys(Identity me, Contacts contacts, AccountApi directory, Consumer<String> notices) {
        this.me = me;
        this.contacts = contacts;
        this.directory = directory;
        this.notices = notices;
    }

    /**
     * @param name an account name
     * @return its pinned identity, pinning it from the key directory on first use
     * @throws RelayException.Refused 404 for an unknown account or one without published keys
     * @throws Contacts.KeyChangedException if the directory's certificates differ from the pin
     * @throws MessageRejectedException if the directory answered for another name
     */
    public PublicIdentity identity(String name) throws IOException, GeneralSecurityException {
        if (name.equals(me.name())) {
            return me.publicIdentity();
        }
        KeyBundle bundle;
        try {
            bundle = directory.keys(name);
        } catch (RelayException e) {
            if (e.is(404)) {
                throw new RelayException.Refused(404, "unknown recipient: " + name + " (no such account, or no published keys)");
            }
            throw e;
        }
        if (!name.equals(bundle.name())) {
            throw new MessageRejectedException("relay answered with keys for '" + bundle.name() + "' when asked for " + name);
        }
        Contacts.Pinned pinned = contacts.pinOrCheck(bundle);
        if (pinned.newlyPinned()) {
            notices.accept(pinned.issuer() != null
                    ? "accepted " + name + ": certificates issued by " + pinned.issuer() + ", signing " + pinned.identity().signingFingerprint()
                    : "pinned " + name + " on first use: signing " + pinned.identity().signingFingerprint());
        }
        return pinned.identity();
    }

    /**
     * @param names account names as the user typed them (case and spaces ignored, duplicates dropped)
     * @return the recipients, in order, with their pinned encryption certificates
     * @throws IllegalArgumentException if a name is not a valid account name
     * @throws IOException if a name is unknown or the relay fails
     * @throws GeneralSecurityException if a pinned certificate changed
     */
    public List<Recipient> recipients(List<String> names) throws IOException, GeneralSecurityException {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        names.forEach(n -> unique.add(AccountName.require(n.strip().toLowerCase(Locale.ROOT))));
        List<Recipient> out = new ArrayList<>();
        for (String name : unique) {
            out.add(new Recipient(name, identity(name).encryptionCertificate()));
        }
        return out;
    }
}
