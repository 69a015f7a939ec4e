package dev.sealpost.client;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * A person's messages waiting on their relay: list them, look into one without keeping it,
 * receive one (the {@link IncomingPipeline} with the relay as {@link BlobSource}, replay
 * detection, then the acknowledgement), and follow new mail as it is pushed.
 */
public final class RelayInbox {
    /** Default upper bound of a fetched message, in bytes. */
    public static final long DEFAULT_MAX_BYTES = Api.DEFAULT_MAX_MESSAGE_BYTES;

    private final RelayClient relay;
    private final SealpostHome home;
    private final IncomingPipeline pipeline;
    private final PinnedKeys keys;
    private final Clock clock;
    private final Consumer<String> notices;

    /**
     * @param relay    an authenticated client
     * @param home     the person's state folder (replay log, partial downloads)
     * @param pipeline the incoming pipeline of the person's identity
     * @param keys     the person's pinned keys: senders are verified against them
     * @param clock    time source for sweeping old partial downloads
     * @param notices  where resumed downloads are reported, one line each
     */
    public RelayInbox(RelayClient relay, SealpostHome home, IncomingPipeline pipeline, PinnedKeys keys, Clock clock,
                      Consumer<String> notices) {
        this.relay = relay;
        this.home = home;
        this.pipeline = pipeline;
        this.keys = keys;
        this.clock = clock;
        this.notices = notices;
    }

    /** @return pending messages, oldest first @throws RelayException if the relay fails */
    public List<MessageSummary> list() throws IOException {
        return relay.messages().inbox();
    }

    /**
     * Fetches and opens one message without saving, acknowledging or recording it: for previews
     * and for saving thumbnails only. The same checks as {@link #receive} apply, except replay
     * detection.
     *
     * @param maxBytes largest message accepted, in bytes
     * @return the verified letter
     * @throws IOException if the message is malformed or the relay fails
     * @throws GeneralSecurityException if decryption, verification or a header check fails
     */
    public Opened peek(MessageSummary summary, long maxBytes) throws IOException, GeneralSecurityException {
        byte[] sealed = relay.messages().fetch(summary.id(), maxBytes);
        return pipeline.open(sealed, TrustedSigners.relaySender(keys, summary.sender()));
    }

    /**
     * Fetches, opens and saves one message with its streamed files, then acknowledges it. On
     * any failure nothing is written under {@code outDir} and the message stays on the relay,
     * except a message already received (a replay, or a copy whose acknowledgement was lost): it
     * is refused and acknowledged.
     *
     * @param summary  the message, from {@link #list()}
     * @param outDir   where attachments and files go
     * @param maxBytes largest message accepted, in bytes
     * @param progress where downloads and verification report
     * @return what was received
     * @throws MessageRejectedException if the message was received before, or breaks a header rule
     * @throws GeneralSecurityException if decryption or verification fails
     * @throws IOException if the relay fails or a file cannot be written
     */
    public Received receive(MessageSummary summary, Path outDir, long maxBytes, Progress progress)
            throws IOException, GeneralSecurityException {
        Opened opened = peek(summary, maxBytes);
        String id = opened.letter().messageId();
        if (id.isBlank()) {
            throw new MessageRejectedException("message has no signed Message-ID, so a replay could not be detected");
        }
        ReceivedLog log = ReceivedLog.load(home);
        if (log.contains(opened.signer(), id)) {
            // Nothing new in it, so it is safe to let the relay forget it; otherwise a copy whose
            // first acknowledgement was lost would be refused on every receive.
            relay.messages().acknowledge(summary.id());
            throw new MessageRejectedException("message " + id + " from " + opened.signer()
                    + " was already received (delivered again by the relay); not saved again");
        }
        BlobSource blobs = new RelayBlobSource(relay, home, summary.id(), clock, notices);
        List<Path> saved = pipeline.save(opened.letter(), blobs, outDir, true, progress); // durable before the relay deletes it
        log.add(opened.signer(), id);
        boolean acknowledged = true;
        try {
            relay.messages().acknowledge(summary.id());
        } catch (RelayException e) {
            // Saved and logged: the next receive acknowledges it as already received.
            acknowledged = false;
        }
        return new Received(summary, opened, saved, acknowledged);
    }

    /**
     * Follows the relay's push stream; returns when the relay closes it.
     *
     * @param onOpen    called when the stream is open (then list the inbox, so nothing sent
     *                  before the subscription is missed)
     * @param onMessage called for each new message
     * @throws RelayException.Unreachable when the stream breaks (follow again)
     */
    public void follow(Runnable onOpen, Consumer<MessageSummary> onMessage) throws IOException {
        relay.events().follow(onOpen, onMessage);
    }
}
