package dev.sealpost.relay.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the bytes of resumable uploads (tus 1.0.0) live, apart from whole sealed messages
 * ({@link SealedMessageStore}): a local folder ({@link Stores#uploads(java.nio.file.Path, long)}) or an
 * S3-compatible bucket ({@link Stores#uploads(S3Bucket, java.nio.file.Path, long)}).
 *
 * <p>The caller ({@code Uploads} in the relay) owns the <em>durable offset</em> of each upload, recorded
 * in the {@link MetadataStore}; this store only keeps bytes. Its rule: bytes up to a checkpoint that
 * {@link Writer.Checkpoint#commit()} returned from are stored durably, and a later
 * {@link #resume} at an offset at or below them continues exactly there, discarding anything stored
 * after it. Thread-safe; one writer per upload at a time is the caller's job.
 */
public interface UploadStore extends AutoCloseable {

    /** Upload ids: 1 to 64 characters of {@code [A-Za-z0-9_-]}. */
    Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** @return true if {@code id} has the shape of an upload id */
    static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Prepares the storage of a new upload, before its row is created. An upload of length 0 is
     * stored (complete and empty) at once.
     *
     * @param length the upload's declared length ({@code Upload-Length}), in bytes
     * @return a reference to record with the upload ({@link UploadRecord#storageRef()}), or null if this
     *         store needs none
     * @throws IOException if the storage cannot be prepared
     * @throws IllegalArgumentException if {@code id} is not a valid upload id
     */
    String begin(String id, long length) throws IOException;

    /**
     * Opens an upload to append at its durable offset {@link UploadRecord#offset()}.
     *
     * @return a writer positioned there; the caller closes it
     * @throws StoredOffsetMismatch if the store holds other bytes than the offset promises (fewer: lost;
     *                              all of them: completed before the offset was recorded); the caller
     *                              records {@link StoredOffsetMismatch#stored()} and tells the client
     * @throws IOException if the storage cannot be read or written
     */
    Writer resume(UploadRecord upload) throws IOException;

    /**
     * Opens the bytes of a complete upload.
     *
     * @return its bytes, or empty if they are gone (deleted meanwhile)
     * @throws IOException if they exist but cannot be opened
     */
    Optional<StoredBytes> read(UploadRecord upload) throws IOException;

    /**
     * Deletes an upload's bytes, complete or not. Deleting what is gone already is not an error.
     *
     * @param storageRef its {@link UploadRecord#storageRef()} if known, else null (what a reference
     *                   names is then left to {@link #orphans}'s sweep)
     * @throws IOException if the storage refuses
     */
    void delete(String id, String storageRef) throws IOException;

    /**
     * Lists the uploads whose bytes this store holds and that were begun (or last written) before
     * {@code cutoff}, to delete those without a row.
     *
     * @return upload ids, each once
     * @throws IOException if the storage cannot be listed
     */
    List<String> orphans(Instant cutoff) throws IOException;

    /** Releases resources. */
    @Override
    void close();

    /** Appends to one upload. Not thread-safe, except that one {@link Checkpoint} may commit meanwhile. */
    interface Writer extends Closeable {
        /**
         * @return the offset, in bytes from the start of the upload, at which the caller should take the
         *         next checkpoint: the writer's current position or later
         */
        long nextCheckpoint();

        /**
         * Appends bytes at the writer's position.
         *
         * @throws IOException if the storage fails (a full or failing disk, an unreachable bucket)
         */
        void write(byte[] bytes, int length) throws IOException;

        /**
         * Ends a checkpoint at the writer's position: what was written so far, and nothing after, is
         * what {@link Checkpoint#commit()} makes durable. Cheap; the writer may be written to again at once
         * while the checkpoint commits on another thread.
         *
         * @param last true if the caller writes nothing more (its request ends here)
         */
        Checkpoint checkpoint(boolean last) throws IOException;

        /**
         * Gives back what was written after the durable offset {@code durable} after a storage failure,
         * where that takes space (best effort).
         */
        default void discardAfter(long durable) {
        }

        /** The durable part of a checkpoint. */
        interface Checkpoint {
            /**
             * Makes the checkpoint's bytes durable.
             *
             * @throws IOException if the storage fails
             */
            void commit() throws IOException;
        }
    }

    /** The bytes of a complete upload, open for reading. */
    interface StoredBytes extends Closeable {
        /**
         * Copies {@code length} bytes from offset {@code first} to {@code out}.
         *
         * @return false if writing to {@code out} failed (the client went away); the rest is not copied
         * @throws IOException if reading the stored bytes fails or they end early
         */
        boolean copyTo(long first, long length, OutputStream out) throws IOException;
    }

    /** The store holds other bytes of an upload than its durable offset promises. */
    final class StoredOffsetMismatch extends IOException {
        private static final long serialVersionUID = 1L;
        private final long stored;

        /** @param stored the bytes the store holds, from which the upload can continue */
        public StoredOffsetMismatch(long stored) {
            super("the upload's stored bytes end at " + stored);
            this.stored = stored;
        }

        /** @return the bytes the store holds from the start of the upload */
        public long stored() {
            return stored;
        }
    }
}
