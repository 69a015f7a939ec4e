package dev.sealpost.client;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageSummary;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
     * Saves a copy of one file of a message opened with {@link #peek}, verified as
     * {@link #receive} verifies it (a streamed file is downloaded, decrypted and checked against
     * the size and digest in the signed letter before it gets its name), without recording or
     * acknowledging the message: it stays waiting, and a later {@link #receive} still takes it.
     *
     * @param summary the message, from {@link #list()}
     * @param opened  what {@link #peek} returned for it
     * @param index   which file: the letter's attachments first, then its streamed files, from 0
     * @param outDir  where the file goes (created if missing; an existing name is never replaced)
     * @param progress where a streamed file's download reports
     * @return the file written
     * @throws IndexOutOfBoundsException if the letter has no file {@code index}
     * @throws GeneralSecurityException if a streamed file does not verify; nothing is written then
     * @throws IOException if the relay fails or the file cannot be written
     */
    public Path saveCopy(MessageSummary summary, Opened opened, int index, Path outDir, Progress progress)
            throws IOException, GeneralSecurityException {
        Letter l = opened.letter();
        int attachments = l.attachments().size();
        java.util.Objects.checkIndex(index, attachments + l.blobs().size());
        Letter one = new Letter(l.from(), l.to(), l.date(), l.messageId(), l.subject(), l.text(),
                index < attachments ? List.of(l.attachments().get(index)) : List.of(),
                index < attachments ? List.of() : List.of(l.blobs().get(index - attachments)));
        BlobSource blobs = new RelayBlobSource(relay, home, summary.id(), clock, notices);
        return pipeline.save(one, blobs, outDir, true, progress).getFirst();
    }

    /** What {@link #watch} reports besides new mail. */
    public interface WatchListener {
        /**
         * A message that is pending: one that arrived while watching, or was waiting when the
         * stream (re)opened. Each id is handed over once per {@link #watch} call unless
         * {@link #retry} was asked for it.
         *
         * @return true when done with it; false to be handed it again after the next reconnect.
         *         To force that reconnect (the relay went away while the message was being
         *         received), throw {@code UncheckedIOException} around a
         *         {@link RelayException.Unreachable}; the message is then handed over again too
         */
        boolean message(MessageSummary summary);

        /**
         * The stream broke or could not be opened; the watch waits {@code delaySeconds}, then
         * follows again.
         */
        void reconnecting(RelayException.Unreachable cause, long delaySeconds);
    }

    /** Longest wait between two attempts to follow the stream again, in seconds. */
    static final long MAX_BACKOFF_SECONDS = 30;

    /**
     * Watches for new mail until cancelled: follows the push stream, lists what is pending each
     * time the stream opens (so nothing sent while it was down is missed), hands each message to
     * {@code listener} once, and after a broken stream follows again with exponential backoff
     * (1 s, doubling to {@value #MAX_BACKOFF_SECONDS} s, back to 1 s once a stream opened).
     *
     * @param listener gets new messages and reconnect notices, on the calling thread
     * @param stop     ends the watch: checked between events and before each reconnect; the
     *                 listener may also cancel it and call {@link Cancellation#check()}
     * @throws Cancellation.Cancelled when {@code stop} was cancelled
     * @throws RelayException.Refused if the relay refuses the stream (401: log in again)
     * @throws RelayException.Untrusted if the relay is not the pinned one
     */
    public void watch(WatchListener listener, Cancellation stop) throws IOException {
        Set<String> handled = new HashSet<>();
        Consumer<MessageSummary> hand = m -> {
            stop.check();
            if (!handled.add(m.id())) {
                return;
            }
            boolean done = false;
            try {
                done = listener.message(m);
            } finally {
                if (!done) {
                    handled.remove(m.id()); // again after the next reconnect
                }
            }
        };
        long backoff = 1;
        while (true) {
            stop.check();
            boolean[] opened = {false};
            RelayException.Unreachable broke = null;
            try {
                follow(() -> {
                    opened[0] = true;
                    try {
                        list().forEach(hand);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, hand);
            } catch (RelayException.Unreachable e) {
                broke = e;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof RelayException.Unreachable u)) {
                    throw e.getCause();
                }
                broke = u; // the relay went away while a message was listed or received
            }
            if (opened[0]) {
                backoff = 1;
            }
            if (broke != null) {
                listener.reconnecting(broke, backoff);
            }
            stop.check();
            try {
                Thread.sleep(backoff * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_SECONDS);
        }
    }

    /**
     * Follows the relay's push stream once; returns when the relay closes it.
     *
     * @param onOpen    called when the stream is open (then list the inbox, so nothing sent
     *                  before the subscription is missed)
     * @param onMessage called for each new message
     * @throws RelayException.Unreachable when the stream breaks (follow again, or use {@link #watch})
     */
    public void follow(Runnable onOpen, Consumer<MessageSummary> onMessage) throws IOException {
        relay.events().follow(onOpen, onMessage);
    }
}
