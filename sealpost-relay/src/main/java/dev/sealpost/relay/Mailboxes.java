package dev.sealpost.relay;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.SendResponse;
import dev.sealpost.relay.store.Acknowledgement;
import dev.sealpost.relay.store.CrashPoints;
import dev.sealpost.relay.store.MessageRecord;
import dev.sealpost.relay.store.MessageTooLargeException;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.SealedMessageStore;
import dev.sealpost.relay.store.SendCheck;
import dev.sealpost.relay.store.UploadRecord;
import dev.sealpost.relay.store.UploadStore;
import dev.sealpost.relay.store.StoreWriteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailboxes of all accounts: store-and-forward of sealed messages. The order of steps is
 * the durability rule: the sealed message is written to the {@link SealedMessageStore} and
 * forced to disk first, and only then is the message row committed, which is what makes it
 * visible. A failed or oversized upload leaves no row and no stored message; a crash between
 * the two leaves an orphan stored message that {@link #removeOrphans()} deletes at startup.
 *
 * <p>A message may also have large blobs: complete {@link Uploads} of its sender, attached in
 * the transaction that makes the message visible and deleted with it (when its last
 * recipient acknowledges it, or it expires). Its recipients download them by byte range.
 */
final class Mailboxes {
    /** Told about every message once it is visible, and about deliveries deleted. */
    @FunctionalInterface
    interface Listener {
        void delivered(List<String> recipients, MessageSummary summary);

        /**
         * Deliveries of these messages were deleted here, after the commit: a recipient
         * acknowledged one, or they expired. Other nodes that remember them must forget them
         * ({@link MetadataStore#forgetDeliveries}). Must not throw.
         *
         * @param messageIds one or more message ids
         */
        default void deliveriesDeleted(List<String> messageIds) {
        }
    }

    /** Opens the request body; called only once the request passed every other check. */
    @FunctionalInterface
    interface Body {
        InputStream open() throws IOException;
    }

    /** Message bytes to stream to a recipient. */
    record Content(InputStream bytes, long size) {}

    /**
     * A blob of a message, to stream to a recipient.
     *
     * @param file the blob's bytes from position 0; the caller closes it
     * @param size its size in bytes
     */
    record Blob(UploadStore.StoredBytes bytes, long size) {}

    private static final Logger LOG = LoggerFactory.getLogger(Mailboxes.class);
    private static final String NO_SUCH_MESSAGE = "no such message";
    private static final String NO_SUCH_BLOB = "no such blob";

    private final MetadataStore store;
    private final SealedMessageStore sealed;
    private final Uploads uploads;
    private final Listener listener;
    private final long maxBytes;
    private final Duration ttl;
    private final Clock clock;
    private final StorageGuard storage;
    /**
     * Deletes the files of acknowledged messages after the acknowledgement is answered: removing
     * a fsynced 1 GiB file takes ~0.35 s on ext4, which the receiver used to wait for. The rows
     * are gone first, so nobody can fetch the bytes meanwhile; files a crash leaves behind are
     * removed at the next start ({@link #removeOrphans}, {@link Uploads#removeOrphans}).
     */
    private final java.util.concurrent.ExecutorService deleter = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("sealpost-relay-delete").daemon().factory());

    Mailboxes(MetadataStore store, SealedMessageStore sealed, Uploads uploads, Listener listener, long maxBytes,
              Duration ttl, Clock clock, StorageGuard storage) {
        this.storage = storage;
        this.store = store;
        this.sealed = sealed;
        this.uploads = uploads;
        this.listener = listener;
        this.maxBytes = maxBytes;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Stores a message for its recipients.
     *
     * @param to             recipient names as given; duplicates collapse
     * @param blobIds        uploads to attach as the message's blobs ({@code ?blob=U}), possibly
     *                       empty; duplicates collapse. Each must be a complete upload of the
     *                       sender not attached to another message
     * @param declaredLength the request's Content-Length, or -1 if unknown
     * @param body           the sealed bytes, opened only after the checks that need no body (so
     *                       a client that sent {@code Expect: 100-continue} is refused before it
     *                       uploads anything), then read to the end or to the limit
     * @throws ApiError.BadRequest if there is no recipient, a name is invalid, the body is
     *                             empty, an upload is incomplete, or there are too many blobs
     * @throws ApiError.NotFound   if a recipient has no account, or an upload is unknown,
     *                             someone else's or expired (nothing is stored)
     * @throws ApiError.Conflict   if an upload belongs to another message (nothing is stored)
     * @throws ApiError.TooLarge   if the body is over the limit (nothing is stored)
     * @throws ApiError.InsufficientStorage if the sender's quota or the relay's disk has no room
     *                             for the declared length (nothing is read or stored)
     * @throws ApiError.InsufficientStorage also if writing the message fails (a full or failing
     *                             disk; logged at ERROR, nothing is stored)
     * @throws IOException         if reading the body fails (nothing is stored)
     */
    SendResponse send(String sender, List<String> to, List<String> blobIds, long declaredLength, Body body)
            throws IOException {
        List<String> recipients = validNames(to);
        SendCheck check = store.sendCheck(sender, recipients, clock.instant()); // one round trip for both checks
        for (String name : recipients) {
            if (!check.existingRecipients().contains(name)) {
                throw new ApiError.NotFound("unknown recipient: " + name);
            }
        }
        Optional<SendResponse> earlier = sentAlready(sender, recipients, blobIds);
        if (earlier.isPresent()) {
            drain(body.open());
            return earlier.get();
        }
        List<String> attachments = uploads.attachable(sender, blobIds);
        if (declaredLength > maxBytes) {
            throw tooLarge();
        }
        if (declaredLength == 0) {
            throw new ApiError.BadRequest("empty message");
        }
        storage.admit(sender, declaredLength > 0 ? declaredLength : maxBytes, check.senderStoredBytes()); // before any byte is written
        String id = RandomIds.messageId();
        long size;
        InputStream in = body.open();
        try {
            size = sealed.put(id, in, maxBytes);
        } catch (MessageTooLargeException e) {
            throw tooLarge();
        } catch (StoreWriteException e) {
            LOG.error("cannot store a message of {}: {}", sender, e.getMessage(), e);
            drain(in);
            throw new ApiError.InsufficientStorage("the relay could not store the message; retry later");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        MessageRecord message = new MessageRecord(id, sender, size, now, now.plus(ttl));
        try {
            if (size == 0) {
                throw new ApiError.BadRequest("empty message");
            }
            if (!store.createMessage(message, recipients, attachments)) {
                uploads.attachable(sender, attachments); // throws what changed meanwhile
                throw new ApiError.Conflict("an upload changed while the message was sent; retry");
            }
            CrashPoints.reach(CrashPoints.MESSAGE_COMMITTED);
        } catch (RuntimeException e) {
            deleteSealed(id);
            throw e;
        }
        try {
            listener.delivered(recipients, summary(message));
        } catch (RuntimeException e) { // the message is stored; a failed push must not turn that into an error
            LOG.warn("cannot push message {} to its recipients' event streams", id, e);
        }
        return new SendResponse(id, recipients, size);
    }

    /**
     * A send retried after its answer was lost (the connection broke after the message was
     * committed): its uploads are attached already, which would be a 409. If they are exactly
     * the blobs of a message of the same sender, pending for exactly this request's recipients
     * (none has acknowledged it yet), that message is the one this request sends again: answer
     * as the first time. Anything less exact stays a 409: an answer must never name a recipient
     * the message did not go to. (Sends without blobs carry nothing to recognise them by; a
     * retry stores a second copy.)
     */
    private Optional<SendResponse> sentAlready(String sender, List<String> recipients, List<String> blobIds) {
        if (blobIds == null || blobIds.isEmpty() || !Uploads.isValidId(blobIds.getFirst())) {
            return Optional.empty();
        }
        Optional<MessageRecord> m = store.upload(blobIds.getFirst())
                .filter(u -> u.owner().equals(sender) && u.messageId() != null)
                .flatMap(u -> store.message(u.messageId()))
                .filter(message -> message.sender().equals(sender) && message.expiresAt().isAfter(clock.instant()));
        if (m.isEmpty()
                || !new HashSet<>(store.messageBlobs(m.get().id())).equals(new HashSet<>(blobIds))
                || !new HashSet<>(store.pendingRecipients(m.get().id())).equals(new HashSet<>(recipients))) {
            return Optional.empty();
        }
        LOG.info("message {} of {} was stored already: answering its retried send", m.get().id(), sender);
        return Optional.of(new SendResponse(m.get().id(), recipients, m.get().size()));
    }

    /**
     * Reads the rest of a request body that will not be stored (at most {@code maxBytes}), so a
     * client still sending it reads the answer instead of a reset connection.
     */
    private void drain(InputStream in) {
        drain(in, maxBytes);
    }

    /**
     * Reads and discards the rest of a request body, at most about {@code limit} bytes, and closes
     * it. Answering while a client still sends makes Jetty close the connection with unread bytes,
     * and the kernel then resets it, which can destroy the answer before the client reads it. Past
     * the limit, or if the client goes away, the reset is left to happen.
     */
    static void drain(InputStream in, long limit) {
        try (in) {
            long drained = 0;
            for (long n; drained <= limit && (n = in.skip(1 << 20)) > 0; ) {
                drained += n;
            }
        } catch (IOException | RuntimeException ignored) {
            // the client went away: nobody is left to read the answer
        }
    }

    /** @return the caller's pending messages, oldest first */
    MessageList inbox(String account) {
        return new MessageList(store.pendingMessages(account, clock.instant()).stream().map(Mailboxes::summary).toList());
    }

    /**
     * @throws ApiError.NotFound unless the message is pending for {@code account}:
     *                           the same answer for someone else's message as for none
     */
    Content open(String account, String id) throws IOException {
        if (!RandomIds.isMessageId(id)) {
            throw new ApiError.NotFound(NO_SUCH_MESSAGE);
        }
        MessageRecord m = store.pendingMessage(id, account, clock.instant())
                .orElseThrow(() -> new ApiError.NotFound(NO_SUCH_MESSAGE));
        try {
            return new Content(sealed.open(id), m.size());
        } catch (NoSuchFileException e) { // acknowledged by its last other recipient or expired just now
            throw new ApiError.NotFound(NO_SUCH_MESSAGE);
        }
    }

    /**
     * Opens a blob of a message for one of its recipients.
     *
     * @throws ApiError.NotFound unless the message is pending for {@code account} (as
     *                           {@link #open}) and {@code blobId} is one of its blobs
     */
    Blob openBlob(String account, String messageId, String blobId) throws IOException {
        if (!RandomIds.isMessageId(messageId) || !Uploads.isValidId(blobId)
                || store.pendingMessage(messageId, account, clock.instant()).isEmpty()) {
            throw new ApiError.NotFound(NO_SUCH_BLOB);
        }
        UploadRecord upload = store.upload(blobId)
                .filter(u -> messageId.equals(u.messageId()))
                .orElseThrow(() -> new ApiError.NotFound(NO_SUCH_BLOB));
        UploadStore.StoredBytes bytes = uploads.read(upload).orElseThrow(() -> new ApiError.NotFound(NO_SUCH_BLOB));
        return new Blob(bytes, upload.length());
    }

    /**
     * Removes the message for {@code account}; deletes it when no recipient is left.
     *
     * @throws ApiError.NotFound unless the message is pending for {@code account}
     */
    void acknowledge(String account, String id) {
        if (!RandomIds.isMessageId(id)) {
            throw new ApiError.NotFound(NO_SUCH_MESSAGE);
        }
        List<String> attached = store.messageBlobs(id); // their rows go with the message's
        Acknowledgement done = store.acknowledge(id, account);
        if (done != Acknowledgement.NOT_PENDING) {
            listener.deliveriesDeleted(List.of(id));
        }
        switch (done) {
            case NOT_PENDING -> throw new ApiError.NotFound(NO_SUCH_MESSAGE);
            case ACKNOWLEDGED -> { }
            case LAST_RECIPIENT -> {
                CrashPoints.reach(CrashPoints.ACK_COMMITTED);
                deleter.execute(() -> {
                    deleteSealed(id);
                    uploads.deleteFiles(attached);
                });
            }
        }
    }

    /**
     * Finishes the deletions of acknowledged messages still queued (waiting up to 30 s) and
     * stops the thread that does them.
     */
    void close() {
        deleter.shutdown();
        try {
            if (!deleter.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("deletions of acknowledged messages still running at shutdown (finished at next start)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes expired messages with their bytes and blobs. @return how many messages */
    int sweep() {
        Instant now = clock.instant();
        List<String> attached = store.blobsOfMessagesExpiredBy(now);
        List<String> expired = store.deleteMessagesExpiredBy(now);
        if (!expired.isEmpty()) {
            listener.deliveriesDeleted(expired);
        }
        expired.forEach(this::deleteSealed);
        uploads.deleteFiles(attached);
        return expired.size();
    }

    /**
     * Deletes stored sealed messages that have no message row (left by a crash between writing
     * the message and committing its row, or between deleting the row and the message), stored
     * before {@code cutoff}: a message being sent right now (stored before its row) must be younger.
     *
     * @return how many were deleted
     * @throws IOException if the store cannot be listed
     */
    int removeOrphans(Instant cutoff) throws IOException {
        int removed = 0;
        for (String key : sealed.keysOlderThan(cutoff)) {
            if (!store.messageExists(key) && sealed.delete(key)) {
                removed++;
            }
        }
        return removed;
    }

    /** @return the distinct names of {@code to}, in order, each valid; whether they exist is not checked here */
    private List<String> validNames(List<String> to) {
        if (to == null || to.isEmpty()) {
            throw new ApiError.BadRequest("no recipient: add ?to=NAME");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String name : to) {
            distinct.add(Names.require(name));
        }
        if (distinct.size() > Api.MAX_RECIPIENTS) {
            throw new ApiError.BadRequest("too many recipients: at most " + Api.MAX_RECIPIENTS);
        }
        return new ArrayList<>(distinct);
    }

    private ApiError.TooLarge tooLarge() {
        return new ApiError.TooLarge("message too large: limit " + maxBytes + " bytes");
    }

    private void deleteSealed(String id) {
        try {
            sealed.delete(id);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot delete sealed message {} (removed at next start): {}", id, e.toString());
        }
    }

    private static MessageSummary summary(MessageRecord m) {
        return new MessageSummary(m.id(), m.sender(), m.size(), m.sentAt(), m.expiresAt());
    }
}
