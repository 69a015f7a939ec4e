package dev.sealpost.relay;

import dev.sealpost.protocol.Api;
import dev.sealpost.relay.store.CrashPoints;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.StoreException;
import dev.sealpost.relay.store.UploadStore;
import dev.sealpost.relay.store.UploadRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads (tus 1.0.0 core, creation and termination) that later become the blobs of
 * a message. The bytes of upload {@code U} are kept by an {@link UploadStore} (a folder, or an
 * S3-compatible bucket that several relay nodes share); the metadata store records its
 * <em>durable offset</em>, the bytes known to be stored durably.
 *
 * <p>Durability rule of {@link #append}: the store resumes at the recorded offset (bytes a
 * crashed or cut-off earlier run stored after its last checkpoint are discarded); while the body
 * streams in through a {@value #BUFFER_BYTES}-byte buffer, a checkpoint makes the bytes durable
 * (an fsync of the file every 64 MiB; an uploaded S3 part) and then records the new offset, at the
 * store's checkpoints and at the end, also when the client goes away mid-body. So the offset a client reads back ({@code HEAD})
 * never promises bytes a crash could lose, and memory stays bounded whatever the size.
 *
 * <p>One request at a time may change an upload ({@code PATCH}, {@code DELETE}). A second one
 * meanwhile takes over if it is a {@code DELETE}, or a {@code PATCH} at the upload's durable
 * offset (what {@code HEAD} answers): the client has given up on the first, whose connection
 * may hang until the idle timeout. The first is stopped, records nothing more and answers 409;
 * its unrecorded bytes are cut off by the second (as tusd 2's lock release does). Any other
 * second request gets 409 and should retry after a {@code HEAD}. An upload not attached to a
 * message is deleted {@code ttl} after its creation or its last recorded bytes, whichever is later,
 * complete or not: an upload that keeps receiving bytes never expires half-way.
 */
final class Uploads {
    /** Most incomplete uploads (unattached, unexpired) one account may have at once. */
    static final int MAX_INCOMPLETE_PER_ACCOUNT = 64;
    /** Default bytes between two checkpoints (force and record) of a {@code PATCH}: 64 MiB. */
    static final long DEFAULT_CHECKPOINT_BYTES = 64L << 20;
    /** How long a request that takes over an upload waits for the one it stops, in milliseconds. */
    static final long TAKEOVER_WAIT_MILLIS = 5_000;
    /** Size of the copy buffer of one {@code PATCH} or download: 1 MiB. */
    static final int BUFFER_BYTES = 1 << 20;
    /**
     * After a write to the upload's storage failed, at most this much more of the PATCH body is
     * read and discarded (bytes), so that the client reads the 507 rather than a reset connection;
     * a longer rest is cut off, and the client learns the offset from a HEAD as after any break.
     */
    static final long DRAIN_AFTER_FAILURE_BYTES = 64L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);
    private static final String NO_SUCH_UPLOAD = "no such upload";

    private final MetadataStore store;
    private final UploadStore files;
    private final long maxBytes;
    private final Duration ttl;
    private final Clock clock;
    private final StorageGuard storage;
    /** Uploads a {@code PATCH} or {@code DELETE} is working on (one per upload at a time), and by whom. */
    private final ConcurrentHashMap<String, Holder> busy = new ConcurrentHashMap<>();

    /**
     * The request changing an upload, on its own thread. {@link #stop} by another request sets
     * {@link #superseded} and interrupts the thread, which unblocks a body read that waits for a
     * silent client; the holder then records nothing more. Both are synchronized with
     * {@link #release}, so no interrupt reaches the thread after it let go of the upload.
     */
    private static final class Holder {
        private final Thread thread = Thread.currentThread();
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean superseded;
        private boolean done;

        synchronized void stop() {
            if (!done) {
                superseded = true;
                thread.interrupt();
            }
        }

        /** Called by the holder's own thread when it lets go; clears an interrupt {@link #stop} left. */
        synchronized void release() {
            done = true;
            Thread.interrupted();
            released.countDown();
        }

        boolean superseded() {
            return superseded;
        }
    }

    /**
     * Makes the calling request the one changing upload {@code id}, stopping the current one if
     * {@code mayTakeOver} says so.
     *
     * @param mayTakeOver given the current holder's upload record, whether to stop it
     * @throws ApiError.Conflict if another request holds it and may not be stopped, or does not
     *                           stop within {@link #TAKEOVER_WAIT_MILLIS}
     */
    private Holder hold(String owner, String id, Predicate<UploadRecord> mayTakeOver) {
        Holder me = new Holder();
        for (int attempt = 0; attempt < 3; attempt++) {
            Holder current = busy.putIfAbsent(id, me);
            if (current == null) {
                return me;
            }
            if (!mayTakeOver.test(own(owner, id))) {
                throw busy();
            }
            LOG.info("upload {}: a newer request takes over from a running PATCH", id);
            current.stop();
            try {
                if (!current.released.await(TAKEOVER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw busy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy();
            }
        }
        throw busy();
    }

    private void release(String id, Holder me) {
        busy.remove(id, me);
        me.release();
    }

    /**
     * @param maxBytes        largest {@code Upload-Length} accepted, in bytes
     * @param ttl             lifetime of an upload not attached to a message
     * @param storage         admits new uploads against the owner's quota and the free disk
     */
    Uploads(MetadataStore store, UploadStore files, long maxBytes, Duration ttl, Clock clock, StorageGuard storage) {
        this.store = store;
        this.files = files;
        this.maxBytes = maxBytes;
        this.ttl = ttl;
        this.clock = clock;
        this.storage = storage;
    }

    /** @return the largest {@code Upload-Length} accepted, in bytes */
    long maxBytes() {
        return maxBytes;
    }

    /**
     * Creates an empty upload (tus creation). Its file is created by the first {@code PATCH}
     * (at once if the length is 0).
     *
     * @param uploadLength the {@code Upload-Length} header: decimal bytes, 0 or more
     * @return the new upload, offset 0, expiring {@code ttl} from now
     * @throws ApiError.BadRequest   if the header is missing, not a number or negative
     * @throws ApiError.TooLarge     if it is over the limit
     * @throws ApiError.LimitReached if the owner has {@link #MAX_INCOMPLETE_PER_ACCOUNT} incomplete uploads
     * @throws ApiError.InsufficientStorage if the owner's quota or the relay's disk has no room for its length
     * @throws IOException           if the store cannot prepare the upload's storage
     */
    UploadRecord create(String owner, String uploadLength) throws IOException {
        long length = parseLength(Api.UPLOAD_LENGTH, uploadLength);
        if (length > maxBytes) {
            throw new ApiError.TooLarge("upload too large: limit " + maxBytes + " bytes");
        }
        storage.admit(owner, length); // counted in full from now on, before any byte is written
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UploadRecord upload = UploadRecord.created(RandomIds.uploadId(), owner, length, now, now.plus(ttl));
        upload = upload.withStorageRef(files.begin(upload.id(), length)); // before the row: a row never lacks its storage
        boolean created = false;
        try {
            created = store.createUpload(upload, MAX_INCOMPLETE_PER_ACCOUNT);
        } finally {
            if (!created) {
                deleteFile(upload.id(), upload.storageRef());
            }
        }
        if (!created) {
            throw new ApiError.LimitReached("too many unfinished uploads: at most " + MAX_INCOMPLETE_PER_ACCOUNT
                    + "; finish or delete one");
        }
        return upload;
    }

    /**
     * @return the caller's upload with its durable offset
     * @throws ApiError.NotFound if it is unknown, someone else's, or expired (not attached)
     */
    UploadRecord status(String owner, String id) {
        return own(owner, id);
    }

    /**
     * Appends a {@code PATCH} body at {@code Upload-Offset} (tus core), following the
     * durability rule of this class. Headers are checked before the body is opened, so a client
     * that sent {@code Expect: 100-continue} is refused before it sends anything.
     *
     * <p>If reading the body fails (the client went away, the connection broke or timed out),
     * the bytes received whole are forced and recorded and the new offset is returned as if
     * the body had ended there: the request is over either way.
     *
     * @param contentType   the {@code Content-Type} header
     * @param uploadOffset  the {@code Upload-Offset} header
     * @param contentLength the request's {@code Content-Length}, or -1 if unknown (chunked)
     * @param body          the request body, opened once every check passed
     * @return the new durable offset, in bytes
     * @throws ApiError.UnsupportedMediaType unless the type is {@value Api#OFFSET_OCTET_STREAM}
     * @throws ApiError.BadRequest     if {@code Upload-Offset} is missing, not a number or negative
     * @throws ApiError.NotFound       if the upload is unknown, someone else's or expired
     * @throws ApiError.Conflict       if it is attached to a message or another request is changing it
     * @throws ApiError.OffsetMismatch if {@code Upload-Offset} is not its durable offset
     * @throws ApiError.TooLarge       if the body goes past {@code Upload-Length}: a declared
     *                                 length is refused before reading; with a streamed
     *                                 (chunked) body the bytes up to the length are kept
     * @throws IOException             if writing the file fails
     */
    long append(String owner, String id, String contentType, String uploadOffset, long contentLength,
                Mailboxes.Body body) throws IOException {
        if (!isOffsetStream(contentType)) {
            throw new ApiError.UnsupportedMediaType("PATCH " + Api.UPLOAD + " needs Content-Type: "
                    + Api.OFFSET_OCTET_STREAM);
        }
        long offset = parseLength(Api.UPLOAD_OFFSET, uploadOffset);
        own(owner, id); // 404 before 409: say nothing about another account's upload
        Holder me = hold(owner, id, current -> current.messageId() == null && current.offset() == offset);
        try {
            UploadRecord upload = own(owner, id); // again, now that no other request can change it
            if (upload.messageId() != null) {
                throw attached();
            }
            if (offset != upload.offset()) {
                throw new ApiError.OffsetMismatch("Upload-Offset " + offset + " is not the upload's offset "
                        + upload.offset() + "; resume from there", upload.offset());
            }
            long remaining = upload.length() - offset;
            if (contentLength > remaining) {
                throw pastLength(remaining);
            }
            if (remaining == 0) {
                if (contentLength < 0) {
                    try (InputStream in = body.open()) {
                        if (in.read() != -1) {
                            throw pastLength(0);
                        }
                    }
                }
                return offset; // complete already: an idempotent repeat of the last PATCH
            }
            return write(upload, body, me);
        } catch (IOException | RuntimeException e) {
            if (me.superseded()) { // whatever the interrupt broke: the newer request goes on from the durable offset
                LOG.info("upload {}: PATCH stopped by a newer request ({})", id, e.toString());
                throw new ApiError.Conflict("a newer request took over this upload; retry after HEAD");
            }
            throw e;
        } finally {
            release(id, me);
        }
    }

    /**
     * Deletes an upload and its bytes (tus termination).
     *
     * @throws ApiError.NotFound if it is unknown, someone else's or expired
     * @throws ApiError.Conflict if it is attached to a message or a {@code PATCH} is running on it
     */
    void terminate(String owner, String id) {
        UploadRecord upload = own(owner, id);
        if (upload.messageId() != null) {
            throw attached();
        }
        Holder me = hold(owner, id, current -> current.messageId() == null);
        try {
            // The file first: on a full disk, the space it gives back lets the database write the
            // row's deletion (a database on a full disk cannot even delete). A row left without its
            // file (the deletion failed twice) answers 507; DELETE again, or the sweep, removes it.
            deleteFile(id, upload.storageRef());
            CrashPoints.reach(CrashPoints.UPLOAD_FILE_DELETED);
            boolean deleted;
            try {
                deleted = store.deleteUpload(id);
            } catch (StoreException e) {
                LOG.warn("upload {}: deleting its row failed once ({}); retrying", id, e.getMessage());
                deleted = store.deleteUpload(id);
            }
            if (!deleted) { // swept meanwhile (it cannot have been attached: this request holds it)
                throw new ApiError.NotFound(NO_SUCH_UPLOAD);
            }
        } finally {
            release(id, me);
        }
    }

    /**
     * Checks the uploads a sender wants to attach to a new message, before the message body is
     * read. The store checks again when it attaches them, in the message's transaction.
     *
     * @param ids upload ids as given ({@code ?blob=U}); duplicates collapse
     * @return the distinct ids, in the order given
     * @throws ApiError.BadRequest if there are more than {@link Api#MAX_BLOBS_PER_MESSAGE} or one is incomplete
     * @throws ApiError.NotFound   if one is unknown, someone else's or expired
     * @throws ApiError.Conflict   if one is attached to another message already
     */
    List<String> attachable(String sender, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        Set<String> distinct = new LinkedHashSet<>(ids);
        if (distinct.size() > Api.MAX_BLOBS_PER_MESSAGE) {
            throw new ApiError.BadRequest("too many blobs: at most " + Api.MAX_BLOBS_PER_MESSAGE);
        }
        for (String id : distinct) {
            UploadRecord upload;
            try {
                upload = own(sender, id);
            } catch (ApiError.NotFound e) {
                throw new ApiError.NotFound("unknown upload: " + (UploadStore.isValidId(id) ? id : "(invalid id)"));
            }
            if (upload.messageId() != null) {
                throw new ApiError.Conflict("upload " + id + " belongs to another message already");
            }
            if (!upload.complete()) {
                throw new ApiError.BadRequest("upload " + id + " is not complete");
            }
        }
        return new ArrayList<>(distinct);
    }

    /**
     * Opens the bytes of a complete upload for reading, e.g. a blob of a message its caller may read.
     *
     * @return its bytes, or empty if they are gone (deleted just now); the caller closes them
     * @throws IOException if they exist but cannot be opened
     */
    Optional<UploadStore.StoredBytes> read(UploadRecord upload) throws IOException {
        return files.read(upload);
    }

    /** Deletes the bytes of uploads whose rows are gone (blobs of a deleted message); never throws. */
    void deleteFiles(List<String> ids) {
        ids.forEach(id -> deleteFile(id, null));
    }

    /** Deletes unattached uploads older than the TTL with their files. @return how many */
    int sweep() {
        Instant now = clock.instant();
        // Files first, as terminate does, so a full disk gets its space back before the database
        // must write. An expired upload cannot be PATCHed (own() refuses it), and one a PATCH still
        // holds is left for the next sweep (its next checkpoint extends its life anyway).
        List<String> expired = store.uploadsExpiredBy(now).stream().filter(id -> !busy.containsKey(id)).toList();
        for (String id : expired) {
            deleteFile(id, store.upload(id).map(UploadRecord::storageRef).orElse(null));
        }
        return store.deleteExpiredUploads(expired, now).size();
    }

    /**
     * Deletes stored uploads that have no row (left by a crash between preparing an upload's
     * storage and committing its row, or between deleting a row and its bytes) and were begun or
     * last written before {@code cutoff}: an upload a request is creating right now (its storage
     * is prepared before its row) must be younger than that.
     *
     * @return how many were deleted
     * @throws IOException if the store cannot be listed
     */
    int removeOrphans(Instant cutoff) throws IOException {
        int removed = 0;
        for (String id : files.orphans(cutoff)) {
            if (store.upload(id).isEmpty()) {
                files.delete(id, null);
                removed++;
            }
        }
        return removed;
    }

    /** @return true if {@code id} has the shape of an upload (blob) id */
    static boolean isValidId(String id) {
        return UploadStore.isValidId(id);
    }

    /**
     * A write, force or offset record of the upload's own storage failed (a full or failing
     * disk): unlike a failed read of the request body (the client went away), nothing the
     * request sent may be reported as stored.
     */
    private static final class StorageFailure extends IOException {
        private static final long serialVersionUID = 1L;

        StorageFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private long write(UploadRecord upload, Mailboxes.Body body, Holder me) throws IOException {
        UploadStore.Writer writer;
        try {
            writer = files.resume(upload);
        } catch (UploadStore.StoredOffsetMismatch e) { // the store holds other bytes than the record: continue from them
            record(upload.id(), e.stored());
            throw new ApiError.OffsetMismatch("the upload's stored bytes end at " + e.stored()
                    + "; resume from there", e.stored());
        } catch (IOException e) {
            throw storageFailed(upload, new StorageFailure(e));
        }
        try {
            return writeOrFail(upload, writer, body, me);
        } catch (StorageFailure e) {
            if (me.superseded()) {
                throw e; // the interrupt closed the file channel: not a disk error
            }
            long durable = store.upload(upload.id()).map(UploadRecord::offset).orElse(upload.offset());
            writer.discardAfter(durable); // while the writer is still open
            throw storageFailed(upload, e);
        } finally {
            writer.close();
        }
    }

    private ApiError.InsufficientStorage storageFailed(UploadRecord upload, StorageFailure e) {
        long durable = store.upload(upload.id()).map(UploadRecord::offset).orElse(upload.offset());
        LOG.error("upload {}: cannot store its bytes ({}); kept {} durable bytes", upload.id(), e.getCause(), durable, e);
        return new ApiError.InsufficientStorage("the relay could not store the upload's bytes; "
                + "resume from offset " + durable + " later");
    }

    private long writeOrFail(UploadRecord upload, UploadStore.Writer out, Mailboxes.Body body, Holder me) throws IOException {
        String id = upload.id();
        long offset = upload.offset();
        long length = upload.length();
        byte[] buffer = new byte[BUFFER_BYTES];
        long position = offset;
        long recorded = offset;
        // Checkpoints commit and record in the background while the body is read on, so the
        // storage and the network work at once; at most one is in flight.
        CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);
        boolean past = false;
        IOException cut = null;
        try (InputStream in = body.open()) {
            try {
                boolean end = false;
                while (!end && !past) {
                    // fill the buffer, but stop at the store's next checkpoint so checkpoints are exact
                    int want = (int) Math.min(buffer.length, Math.max(1, out.nextCheckpoint() - position));
                    int filled = 0;
                    while (filled < want) {
                        int n;
                        try {
                            n = in.read(buffer, filled, want - filled);
                        } catch (IOException e) {
                            cut = e;
                            break;
                        } catch (org.eclipse.jetty.http.BadMessageException e) { // 408: below the minimum data rate
                            cut = new IOException(e.getMessage(), e);
                            break;
                        }
                        if (n < 0) {
                            end = true;
                            break;
                        }
                        filled += n;
                    }
                    int keep = (int) Math.min(filled, length - position);
                    past = keep < filled;
                    try {
                        out.write(buffer, keep);
                    } catch (IOException e) {
                        throw new StorageFailure(e);
                    }
                    position += keep;
                    if (cut != null || me.superseded()) {
                        break;
                    }
                    if (position >= out.nextCheckpoint() && position < length) {
                        await(pending);
                        long at = position;
                        UploadStore.Writer.Checkpoint checkpoint = sealCheckpoint(out, false);
                        pending = CompletableFuture.runAsync(() -> {
                            try {
                                checkpoint(checkpoint, id, at);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }, task -> Thread.ofVirtual().name("sealpost-checkpoint-" + id).start(task));
                        recorded = position;
                    }
                }
            } catch (StorageFailure e) {
                if (!me.superseded()) { // else the newer request's client is the one waiting
                    Mailboxes.drain(in, DRAIN_AFTER_FAILURE_BYTES); // so that this client reads the 507
                }
                throw e;
            }
        } catch (StorageFailure e) {
            throw e;
        } catch (IOException e) { // opening or closing the request body
            cut = e;
        } finally {
            await(pending);
        }
        if (me.superseded()) {
            throw new ApiError.Conflict("a newer request took over this upload; retry after HEAD");
        }
        if (position != recorded) {
            checkpoint(sealCheckpoint(out, true), id, position);
        }
        if (cut != null) {
            LOG.info("upload {} interrupted at offset {} of {}: {}", id, position, length, cut.toString());
            return position;
        }
        if (past) {
            throw pastLength(length - offset);
        }
        return position;
    }

    private static UploadStore.Writer.Checkpoint sealCheckpoint(UploadStore.Writer out, boolean last) throws StorageFailure {
        try {
            return out.checkpoint(last);
        } catch (IOException e) {
            throw new StorageFailure(e);
        }
    }

    /** Waits for a background checkpoint and rethrows what it threw. */
    private static void await(CompletableFuture<Void> checkpoint) throws IOException {
        try {
            checkpoint.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case UncheckedIOException u -> throw u.getCause();
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    /** Makes a checkpoint durable and records {@code offset}. */
    private void checkpoint(UploadStore.Writer.Checkpoint checkpoint, String id, long offset) throws StorageFailure {
        try {
            checkpoint.commit();
        } catch (IOException e) {
            throw new StorageFailure(e);
        }
        record(id, offset);
    }

    /** Records {@code offset} as durable. */
    private void record(String id, long offset) throws StorageFailure {
        boolean known;
        try {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            known = store.recordUploadOffset(id, offset, now, now.plus(ttl)); // bytes arriving keep it alive
            CrashPoints.reach(CrashPoints.UPLOAD_RECORDED);
        } catch (dev.sealpost.relay.store.StoreException e) {
            throw new StorageFailure(new IOException("cannot record the upload's offset: " + e.getMessage(), e));
        }
        if (!known) {
            deleteFile(id, null); // expired and swept (or deleted) while it was being written
            throw new ApiError.NotFound(NO_SUCH_UPLOAD);
        }
    }

    /** @return the caller's upload, unexpired unless attached */
    private UploadRecord own(String owner, String id) {
        if (!UploadStore.isValidId(id)) {
            throw new ApiError.NotFound(NO_SUCH_UPLOAD);
        }
        Instant now = clock.instant();
        return store.upload(id)
                .filter(u -> u.owner().equals(owner))
                .filter(u -> u.messageId() != null || now.isBefore(u.expiresAt()))
                .orElseThrow(() -> new ApiError.NotFound(NO_SUCH_UPLOAD));
    }

    private void deleteFile(String id, String storageRef) {
        try {
            files.delete(id, storageRef);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot delete the bytes of upload {} (the orphan sweep removes them): {}", id, e.toString());
        }
    }

    private static boolean isOffsetStream(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.toLowerCase(Locale.ROOT).equals(Api.OFFSET_OCTET_STREAM);
    }

    /**
     * @return a non-negative decimal header value; {@link Long#MAX_VALUE} for one with more than 18 digits
     * @throws ApiError.BadRequest if it is missing, blank or not all digits
     */
    static long parseLength(String header, String value) {
        if (value == null || value.isBlank()) {
            throw new ApiError.BadRequest("missing header " + header);
        }
        String v = value.strip();
        if (!v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ApiError.BadRequest(header + " must be a number of bytes, 0 or more");
        }
        return v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v);
    }

    private static ApiError.TooLarge pastLength(long remaining) {
        return new ApiError.TooLarge("body goes past Upload-Length: " + remaining + " bytes remain");
    }

    private static ApiError.Conflict attached() {
        return new ApiError.Conflict("upload belongs to a message: it cannot change any more");
    }

    private static ApiError.Conflict busy() {
        return new ApiError.Conflict("another request is changing this upload; retry after HEAD");
    }
}
