package dev.sealpost.client;

import dev.sealpost.crypto.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.crypto.BlobSecret;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What an interrupted upload needs to continue: the relay's upload id and the blob's secret
 * (key, salt, nonce prefix), so the same command run again re-creates the identical ciphertext
 * and sends only what the relay does not have yet.
 *
 * <p>One file per upload under {@code $SEALPOST_HOME/uploads/}, readable by the owner only
 * (0600), keyed by relay, file, size and modification time: a changed file starts a new upload.
 * An entry is deleted once the message that references the upload is sent. The secret protects
 * only the blob, which the relay holds encrypted; it is kept no longer than the send takes.
 */
final class UploadJournal {
    /**
     * One upload in progress.
     *
     * @param uploadId    the relay's upload id
     * @param ikm         base64 of the blob key
     * @param salt        base64 of the header salt
     * @param noncePrefix base64 of the nonce prefix
     * @param sha256      hex SHA-256 of the whole ciphertext once the upload completed, else null
     * @param encoding    {@code deflate} if the upload is of the compressed copy ({@link #spool}), else null
     */
    record Upload(String uploadId, String ikm, String salt, String noncePrefix, String sha256, String encoding) {
        BlobSecret secret() {
            Base64.Decoder d = Base64.getDecoder();
            return new BlobSecret(d.decode(ikm), d.decode(salt), d.decode(noncePrefix));
        }

        static Upload of(String uploadId, BlobSecret s, String encoding) {
            Base64.Encoder e = Base64.getEncoder();
            return new Upload(uploadId, e.encodeToString(s.ikm()), e.encodeToString(s.salt()), e.encodeToString(s.noncePrefix()),
                    null, encoding);
        }

        Upload completed(byte[] digest) {
            return new Upload(uploadId, ikm, salt, noncePrefix, HexFormat.of().formatHex(digest), encoding);
        }

        boolean compressed() {
            return Deflate.DEFLATE.equals(encoding);
        }
    }

    private final Path dir;
    private final ObjectMapper json = dev.sealpost.protocol.Json.mapper();

    UploadJournal(SealpostHome home) {
        this.dir = home.uploadsDir();
    }

    /** The journal file of {@code file} as it is now, for uploads to {@code relay}. */
    Path slot(URI relay, OutgoingFile file) throws IOException {
        String key = relay + "\n" + file.path().toAbsolutePath().normalize() + "\n" + file.size() + "\n" + file.modified();
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(h, 0, 20) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<Upload> find(Path slot) throws IOException {
        try {
            Upload e = json.readValue(Files.readAllBytes(slot), Upload.class);
            e.secret(); // validates
            return Optional.of(e);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(slot); // unreadable: start over rather than fail forever
            return Optional.empty();
        }
    }

    void save(Path slot, Upload entry) throws IOException {
        ensureFolder();
        AtomicFiles.replace(slot, json.writeValueAsBytes(entry), AtomicFiles.OWNER_ONLY);
    }

    /** @return where the compressed copy of the file behind {@code slot} is kept while it uploads */
    Path spool(Path slot) {
        return slot.resolveSibling(slot.getFileName().toString().replace(".json", ".deflate"));
    }

    /** Forgets an upload and deletes its compressed copy. */
    void remove(Path slot) throws IOException {
        Files.deleteIfExists(slot);
        Files.deleteIfExists(spool(slot));
    }

    /** Makes sure the journal folder exists and is private. */
    void ensureFolder() throws IOException {
        AtomicFiles.createPrivateDirectory(dir);
    }
}
