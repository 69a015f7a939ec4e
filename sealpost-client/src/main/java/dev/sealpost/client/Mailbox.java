package dev.sealpost.client;

import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.crypto.Smime;
import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A person's mailbox on their relay: send sealed letters, list, receive (fetch, decrypt,
 * verify, save, acknowledge) and follow new mail.
 */
public final class Mailbox {
    private final SealpostHome home;
    private final Identity me;
    private final RelayClient relay;
    private final Contacts contacts;
    private final Clock clock;
    private final Consumer<String> notices;

    /**
     * @param home    the person's state folder
     * @param me      their unlocked identity
     * @param relay   an authenticated client
     * @param clock   time source for Date headers
     * @param notices where to report trust events (a contact pinned on first use)
     * @throws IOException if contacts.json cannot be read
     */
    public Mailbox(SealpostHome home, Identity me, RelayClient relay, Clock clock, Consumer<String> notices) throws IOException {
        this.home = home;
        this.me = me;
        this.relay = relay;
        this.contacts = Contacts.load(home);
        this.clock = clock;
        this.notices = notices;
    }

    /**
     * What a send did.
     *
     * @param response    the relay's answer
     * @param letter      the letter as signed
     * @param sealedBytes size of the sealed message in bytes
     */
    public record Sent(SendResponse response, Letter letter, long sealedBytes) {}

    /**
     * What a receive did.
     *
     * @param summary the relay's metadata
     * @param opened  the verified letter
     * @param saved   files written under the output folder
     * @param acknowledged false if the relay could not be told (the message is received and
     *                     saved; the next receive clears it from the relay)
     */
    public record Received(MessageSummary summary, Opened opened, List<Path> saved, boolean acknowledged) {}

    /**
     * Seals a letter to every recipient (and the sender's own copy) and uploads it.
     *
     * @param to          recipient account names
     * @param subject     optional subject
     * @param text        the text
     * @param attachments files, already prepared (compressed)
     * @return the result
     * @throws IOException if a recipient is unknown, the relay refuses, or it cannot be reached
     * @throws GeneralSecurityException if a recipient's certificates changed since they were pinned
     */
    public Sent send(List<String> to, String subject, String text, List<Attachment> attachments)
            throws IOException, GeneralSecurityException {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        to.forEach(n -> names.add(AccountName.require(n.strip().toLowerCase(java.util.Locale.ROOT))));
        List<X509Certificate> certs = new ArrayList<>();
        for (String name : names) {
            certs.add(recipient(name).encryptionCertificate());
        }
        Letter letter = Letter.compose(me.name(), List.copyOf(names), subject, text, attachments, clock.instant());
        byte[] sealed = Smime.seal(letter.toMime(), me, certs);
        return new Sent(relay.send(sealed, List.copyOf(names)), letter, sealed.length);
    }

    /** @return pending messages, oldest first */
    public List<MessageSummary> inbox() throws IOException {
        return relay.inbox();
    }

    /**
     * Fetches, opens and saves one message, then acknowledges it. On any failure nothing is
     * written under {@code outDir} and the message stays on the relay, except a message
     * already received (a replay, or a copy whose acknowledgement was lost): it is refused
     * and acknowledged.
     *
     * @param summary  the message, from {@link #inbox()}
     * @param outDir   where attachments go
     * @param maxBytes largest message accepted, in bytes
     * @return what was received
     * @throws IOException if the message is malformed or the relay fails
     * @throws GeneralSecurityException if decryption, verification or a header check fails
     */
    public Received receive(MessageSummary summary, Path outDir, long maxBytes) throws IOException, GeneralSecurityException {
        Opened opened = peek(summary, maxBytes);
        String id = opened.letter().messageId();
        if (id.isBlank()) {
            throw new MessageRejectedException("message has no signed Message-ID, so a replay could not be detected");
        }
        ReceivedLog log = ReceivedLog.load(home);
        if (log.contains(opened.signer(), id)) {
            // Nothing new in it, so it is safe to let the relay forget it; otherwise a copy whose
            // first acknowledgement was lost would be refused on every receive.
            relay.acknowledge(summary.id());
            throw new MessageRejectedException("message " + id + " from " + opened.signer()
                    + " was already received (delivered again by the relay); not saved again");
        }
        List<Path> saved = AttachmentWriter.saveAll(opened.letter().attachments(), outDir);
        log.add(opened.signer(), id);
        boolean acknowledged = true;
        try {
            relay.acknowledge(summary.id());
        } catch (RelayException e) {
            // Saved and logged: the next receive acknowledges it as already received.
            acknowledged = false;
        }
        return new Received(summary, opened, saved, acknowledged);
    }

    /**
     * Fetches and opens one message without saving, acknowledging or recording it: for
     * previews in the inbox and for saving thumbnails only. The same checks as
     * {@link #receive} apply, except replay detection.
     *
     * @param summary  the message, from {@link #inbox()}
     * @param maxBytes largest message accepted, in bytes
     * @return the verified letter
     * @throws IOException if the message is malformed or the relay fails
     * @throws GeneralSecurityException if decryption, verification or a header check fails
     */
    public Opened peek(MessageSummary summary, long maxBytes) throws IOException, GeneralSecurityException {
        byte[] sealed = relay.fetch(summary.id(), maxBytes);
        String claimedSender = summary.sender();
        return LetterOpener.open(sealed, me, claimed -> Optional.of(trustedSigner(claimedSender)));
    }

    /**
     * Follows the relay's push stream; returns when the relay closes it.
     *
     * @param onOpen    called when the stream is open (then list the inbox, so nothing sent
     *                  before the subscription is missed)
     * @param onMessage called for each new message
     */
    public void follow(Runnable onOpen, Consumer<MessageSummary> onMessage) throws IOException {
        relay.events(onOpen, onMessage);
    }

    /** Default upper bound of a fetched message, in bytes. */
    public static final long DEFAULT_MAX_BYTES = Api.DEFAULT_MAX_MESSAGE_BYTES;

    private TrustedSigner trustedSigner(String name) throws IOException, GeneralSecurityException {
        if (name.equals(me.name())) {
            return new TrustedSigner(name, me.signingCertificate());
        }
        return new TrustedSigner(name, recipient(name).signingCertificate());
    }

    /** The pinned identity of {@code name}, pinning it from the key directory on first use. */
    private PublicIdentity recipient(String name) throws IOException, GeneralSecurityException {
        if (name.equals(me.name())) {
            return me.publicIdentity();
        }
        KeyBundle bundle;
        try {
            bundle = relay.keys(name);
        } catch (RelayException e) {
            if (e.status() == 404) {
                throw new RelayException(404, "unknown recipient: " + name + " (no such account, or no published keys)", -1);
            }
            throw e;
        }
        if (!name.equals(bundle.name())) {
            throw new MessageRejectedException("relay answered with keys for '" + bundle.name() + "' when asked for " + name);
        }
        Contacts.Pinned pinned = contacts.pinOrCheck(bundle);
        if (pinned.newlyPinned()) {
            notices.accept("pinned " + name + " on first use: signing " + pinned.identity().signingFingerprint());
        }
        return pinned.identity();
    }
}
