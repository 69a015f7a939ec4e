package dev.sealpost.relay.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;

/**
 * Whole sealed messages (the S/MIME bytes a sender posts), opaque, by key (the message id).
 * A message is written completely and durably or not at all: a reader never sees a partial
 * one, and a failed or oversized write leaves nothing behind. Not for blobs, the large files a
 * message references: those are resumable uploads ({@link UploadStore}).
 * Keys are 1 to 64 characters of {@code [A-Za-z0-9_-]}. Implementations: a local directory
 * ({@link Stores#sealedMessages(java.nio.file.Path)}) or an S3-compatible bucket that several relay nodes share
 * ({@link Stores#sealedMessages(S3Bucket, java.nio.file.Path)}).
 * Thread-safe.
 */
public interface SealedMessageStore extends AutoCloseable {

    /**
     * Reads {@code content} to its end and stores it durably under {@code key}.
     *
     * @param maxBytes the most bytes accepted
     * @return the number of bytes stored
     * @throws MessageTooLargeException if {@code content} is longer than {@code maxBytes}; nothing is kept
     * @throws java.nio.file.FileAlreadyExistsException if {@code key} is taken
     * @throws StoreWriteException if writing, forcing or renaming the store's own file fails
     *                             (a full or failing disk); nothing is kept
     * @throws IOException if reading {@code content} fails; nothing is kept
     * @throws IllegalArgumentException if {@code key} is not a valid key
     */
    long put(String key, InputStream content, long maxBytes) throws IOException;

    /**
     * @return the message's bytes; the caller closes the stream
     * @throws NoSuchFileException if there is no such message
     */
    InputStream open(String key) throws IOException;

    /** @return true if the message existed and was deleted */
    boolean delete(String key) throws IOException;

    /**
     * @return the keys of messages stored before {@code cutoff}, to delete those whose row is missing
     *         (left by a crash between storing a message and committing its row)
     */
    List<String> keysOlderThan(Instant cutoff) throws IOException;

    /** Releases resources. */
    @Override
    void close();
}
