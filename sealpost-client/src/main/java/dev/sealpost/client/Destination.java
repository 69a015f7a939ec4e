package dev.sealpost.client;

import java.io.IOException;
import java.util.List;

/**
 * Where {@link OutgoingPipeline} puts a sealed message: the only part of sending that differs
 * between the relay ({@link RelayDestination}: tus uploads, then the message posted) and a file
 * ({@link FileDestination}: a {@code .p7m}, or a bundle). Used once, for one message.
 *
 * @param <R> what delivering gives the caller
 */
public interface Destination<R> extends AutoCloseable {
    /**
     * Encrypts one streamed file into a blob and stores it; called for each file above the
     * inline bound, in order, before {@link #deliver}.
     *
     * @param file     the file as the user chose it
     * @param progress where compression and encryption report, in bytes
     * @return the reference the signed letter carries
     * @throws IOException if the file cannot be read or the blob not stored
     */
    BlobRef put(OutgoingFile file, Progress progress) throws IOException;

    /**
     * Stores or sends the sealed message that references the blobs {@link #put} stored.
     *
     * @param letter     the letter as signed
     * @param sealed     its DER S/MIME message (CMS AuthEnvelopedData)
     * @param recipients who it is sealed to
     * @return the result for the caller
     * @throws IOException if it cannot be stored or sent
     */
    R deliver(Letter letter, byte[] sealed, List<Recipient> recipients) throws IOException;

    /** Releases what an undelivered message left (temporary files); a delivered one is kept. */
    @Override
    void close() throws IOException;
}
