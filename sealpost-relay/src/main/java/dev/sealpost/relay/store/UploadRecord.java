package dev.sealpost.relay.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One resumable upload (tus 1.0.0): what the relay knows about its bytes, which are stored
 * apart ({@link UploadStore}). Once complete it may be attached to exactly one message, as
 * one of that message's blobs, and then lives and dies with the message.
 *
 * @param id          public upload id ({@code [A-Za-z0-9_-]{1,64}}), also the file name and later the blob id
 * @param owner       the account that created it; only it may append, query or delete it
 * @param length      declared total size ({@code Upload-Length}), in bytes, at least 0
 * @param offset      durable offset: bytes forced to disk and recorded, {@code 0 <= offset <= length}
 * @param createdAt   when it was created (millisecond precision)
 * @param expiresAt   when it is deleted unless attached to a message (millisecond precision)
 * @param completedAt when {@code offset} reached {@code length}, or null while incomplete
 * @param messageId   the message it is a blob of, or null while unattached
 * @param storageRef  where its bytes are beyond its id, as {@link UploadStore#begin} said (an S3 multipart
 *                    upload's {@code UploadId}), or null
 */
public record UploadRecord(String id, String owner, long length, long offset, Instant createdAt,
                           Instant expiresAt, Instant completedAt, String messageId, String storageRef) {
    /**
     * @throws NullPointerException     if id, owner, createdAt or expiresAt is null
     * @throws IllegalArgumentException unless {@code 0 <= offset <= length}
     */
    public UploadRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (length < 0 || offset < 0 || offset > length) {
            throw new IllegalArgumentException("need 0 <= offset <= length, not offset " + offset + ", length " + length);
        }
    }

    /** @return a new, empty, unattached upload (complete at once if {@code length} is 0) */
    public static UploadRecord created(String id, String owner, long length, Instant createdAt, Instant expiresAt) {
        return new UploadRecord(id, owner, length, 0, createdAt, expiresAt, length == 0 ? createdAt : null, null, null);
    }

    /** @return this upload with its storage reference ({@link UploadStore#begin}) */
    public UploadRecord withStorageRef(String ref) {
        return new UploadRecord(id, owner, length, offset, createdAt, expiresAt, completedAt, messageId, ref);
    }

    /** @return true if every byte is durable ({@code offset == length}) */
    public boolean complete() {
        return offset == length;
    }

    /** @return the message this upload is a blob of, if attached */
    public Optional<String> message() {
        return Optional.ofNullable(messageId);
    }
}
