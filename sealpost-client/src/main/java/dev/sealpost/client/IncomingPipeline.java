package dev.sealpost.client;

import dev.sealpost.crypto.Identity;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * The one incoming-message pipeline, used by {@code receive}, {@code open}, {@code inbox} and
 * any user interface: decrypt (CMS AuthEnvelopedData), verify against the signer the receiver
 * trusts ({@link TrustedSigners}; never the certificate the message carries), check the
 * protected headers ({@link LetterOpener}), then save all or nothing: inline parts and streamed
 * files, each blob verified segment by segment and against its signed SHA-256, from whichever
 * {@link BlobSource} holds them. Only the source differs between the relay and a file.
 */
public final class IncomingPipeline {
    private final Identity me;

    /** @param me the receiver's identity (its encryption key decrypts) */
    public IncomingPipeline(Identity me) {
        this.me = me;
    }

    /**
     * Decrypts, verifies and checks a sealed message; saves nothing.
     *
     * @param sealed  the DER S/MIME message
     * @param signers where trust in the signer comes from
     * @return the verified letter
     * @throws IOException if the message is malformed
     * @throws GeneralSecurityException if decryption, verification or a header check fails, or
     *                                  no trusted signer is found
     */
    public Opened open(byte[] sealed, LetterOpener.SignerLookup signers) throws IOException, GeneralSecurityException {
        return LetterOpener.open(sealed, me, signers);
    }

    /**
     * Saves a verified letter's attachments and streamed files under {@code outDir}: each is
     * written to a temporary file, and all get their (sanitised, never replacing) names only once
     * every one of them verified. On any failure nothing is left under {@code outDir}.
     *
     * @param letter   the verified letter
     * @param source   where its streamed files' ciphertext comes from
     * @param outDir   the folder (created if missing)
     * @param durable  force the files and the folder to disk before returning (before a relay is
     *                 told to delete the message); an offline file whose input stays need not
     * @param progress where downloads and verification report
     * @return the files written, in the letter's order
     * @throws GeneralSecurityException if a streamed file does not belong to {@code source} or
     *                                  does not verify
     * @throws IOException if reading or writing fails
     */
    public List<Path> save(Letter letter, BlobSource source, Path outDir, boolean durable, Progress progress)
            throws IOException, GeneralSecurityException {
        source.check(letter.blobs());
        if (letter.attachments().isEmpty() && letter.blobs().isEmpty()) {
            return List.of();
        }
        List<Path> saved;
        try (AttachmentWriter.Batch batch = AttachmentWriter.begin(outDir, durable)) {
            for (Attachment a : letter.attachments()) {
                batch.add(a.filename(), a.bytes());
            }
            for (BlobRef ref : letter.blobs()) {
                source.fetch(ref, batch, progress);
            }
            saved = batch.commit();
        }
        source.committed();
        return saved;
    }
}
