package dev.sealpost.client;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Where {@link IncomingPipeline} finds the ciphertext of a letter's streamed files: the only
 * part of receiving that differs between the relay ({@link RelayBlobSource}: ranged, resumable
 * downloads) and a file ({@link Bundle.Contents}). Used once, for one message.
 */
public interface BlobSource {
    /** A source for messages that carry everything inside: any streamed file is refused. */
    BlobSource NONE = new BlobSource() {
        @Override
        public void check(List<BlobRef> refs) throws IOException {
            if (!refs.isEmpty()) {
                throw new IOException("the message references streamed files that are not in it"
                        + " (a message from the relay: use sealpost receive)");
            }
        }

        @Override
        public void fetch(BlobRef ref, AttachmentWriter.Batch batch, Progress progress) {
            throw new IllegalStateException("no streamed files here");
        }
    };

    /**
     * Checks, before anything is fetched or written, that this source can serve every reference
     * of the signed letter.
     *
     * @throws GeneralSecurityException if a reference cannot belong here (the message was tampered
     *                                  with or belongs to another transport)
     * @throws IOException if the source's layout contradicts the signed references
     */
    void check(List<BlobRef> refs) throws IOException, GeneralSecurityException;

    /**
     * Fetches one blob, decrypts and verifies every segment and the signed SHA-256, and adds the
     * plaintext to {@code batch} under the signed name.
     *
     * @throws dev.sealpost.crypto.BlobIntegrityException if the blob does not verify
     * @throws IOException if it cannot be read or written
     */
    void fetch(BlobRef ref, AttachmentWriter.Batch batch, Progress progress) throws IOException, GeneralSecurityException;

    /** Called once the batch is committed: the source may delete what it kept for resuming. */
    default void committed() throws IOException {}
}
