package dev.sealpost.client;

import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Smime;
import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The one outgoing-message pipeline, used by {@code send}, {@code seal} and any user interface:
 * recipients and a {@link Draft} → inline parts or streamed files ({@link Destination#put}) →
 * a signed {@link Letter} with protected headers (RFC 9788) → CMS SignedData inside
 * AuthEnvelopedData to every recipient and the sender's own copy ({@link Smime#seal},
 * RFC 8551) → {@link Destination#deliver}. Only the destination differs between the relay and
 * a file.
 */
public final class OutgoingPipeline {
    /** Default largest file carried inside the letter, in bytes; larger files travel as blobs. */
    public static final long DEFAULT_INLINE_LIMIT = 16L << 20;

    private final Identity me;
    private final Clock clock;
    private final long inlineLimit;

    /**
     * @param me          the sender's unlocked identity (signing key)
     * @param clock       time source for the Date header
     * @param inlineLimit largest file carried inside the letter, in bytes (inclusive); together
     *                    at most twice this ({@link OutgoingFile#split})
     * @throws IllegalArgumentException if {@code inlineLimit} is negative
     */
    public OutgoingPipeline(Identity me, Clock clock, long inlineLimit) {
        if (inlineLimit < 0) {
            throw new IllegalArgumentException("negative inline limit");
        }
        this.me = me;
        this.clock = clock;
        this.inlineLimit = inlineLimit;
    }

    /**
     * Seals {@code draft} to {@code recipients} and hands it to {@code destination}.
     *
     * @param recipients  who it is for, in order (the sender's own copy is added)
     * @param draft       what to send
     * @param destination where it goes; closed by the caller
     * @param progress    where compression, encryption and transfers report; may throw
     *                    {@link Cancellation.Cancelled} to stop ({@link Cancellation#guard})
     * @return what the destination gives back
     * @throws IllegalArgumentException if {@code recipients} is empty, or the draft has more than
     *                                  {@link Api#MAX_BLOBS_PER_MESSAGE} files to stream (checked
     *                                  before anything is compressed or sent)
     * @throws IOException if a file cannot be read or the destination fails
     * @throws GeneralSecurityException if signing or encryption fails (a key that does not unlock)
     */
    public <R> R send(List<Recipient> recipients, Draft draft, Destination<R> destination, Progress progress)
            throws IOException, GeneralSecurityException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no recipients");
        }
        List<Attachment> inline = new ArrayList<>(draft.attachments());
        List<BlobRef> refs = new ArrayList<>();
        OutgoingFile.Split split = OutgoingFile.split(draft.files(), inlineLimit);
        if (split.blobs().size() > Api.MAX_BLOBS_PER_MESSAGE) {
            throw new IllegalArgumentException(String.format(
                    "too many files: a message carries at most %,d files over %,d bytes, this one has %,d",
                    Api.MAX_BLOBS_PER_MESSAGE, inlineLimit, split.blobs().size()));
        }
        for (OutgoingFile f : split.inline()) {
            inline.add(new Attachment(f.name(), f.mediaType(), Files.readAllBytes(f.path())));
        }
        for (OutgoingFile f : split.blobs()) {
            refs.add(destination.put(f, progress));
        }
        List<String> names = recipients.stream().map(Recipient::name).toList();
        List<X509Certificate> certs = recipients.stream().map(Recipient::encryptionCertificate).toList();
        Letter letter = Letter.compose(me.name(), names, draft.subject(), draft.text(), inline, refs, clock.instant());
        byte[] sealed = Smime.seal(letter.toMime(), me, certs);
        return destination.deliver(letter, sealed, recipients);
    }
}
