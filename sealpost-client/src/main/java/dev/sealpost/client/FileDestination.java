package dev.sealpost.client;

import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.crypto.BlobSecret;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Seals to a file, offline: an S/MIME {@code .p7m} when everything travels inside the letter,
 * or a {@link Bundle} when streamed files travel beside it. The file appears under its name
 * only once complete, and never replaces a file (a hard link from a temporary file, which fails
 * if the name exists). Like {@code openssl}, {@code gpg} and {@code age}, a bundle is not
 * forced to disk: its input stays where it was.
 */
public final class FileDestination implements Destination<SealedFile> {
    private final Path out;
    private Path tmp;
    private FileChannel bundle;
    private int blobs;

    /** @param out the file to create; it must not exist when the message is delivered */
    public FileDestination(Path out) {
        this.out = out.toAbsolutePath();
    }

    /** Encrypts one file into the bundle, after the blobs before it. */
    @Override
    public BlobRef put(OutgoingFile original, Progress progress) throws IOException {
        if (bundle == null) {
            tmp = Files.createTempFile(out.getParent(), "." + out.getFileName() + ".", ".tmp");
            bundle = FileChannel.open(tmp, StandardOpenOption.WRITE);
            Bundle.writeHead(bundle);
        }
        Path spool = Files.createTempFile(out.getParent(), "." + out.getFileName() + ".", ".deflate");
        try {
            OutgoingFile f = Blobs.payload(original, spool, Blobs.encode(original, spool, progress));
            BlobSecret secret = Blobs.newSecret();
            byte[] digest;
            try (Progress.Task task = progress.start("seal " + Blobs.shortName(f.name()), f.size())) {
                digest = Blobs.encrypt(f, secret, 0, bundle, task);
            }
            return Blobs.ref(original, f, Bundle.blobId(blobs++), digest, secret);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * Writes the sealed message: alone as a {@code .p7m}, or after the blobs with the bundle's trailer.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the output file exists; nothing is written
     */
    @Override
    public SealedFile deliver(Letter letter, byte[] sealed, List<Recipient> recipients) throws IOException {
        if (bundle == null) {
            AtomicFiles.createNew(out, sealed, AtomicFiles.OWNER_ONLY); // 0600, like every sealed file so far
            return new SealedFile(out, sealed.length, 0, letter);
        }
        Bundle.writeTail(bundle, sealed);
        long size = bundle.size();
        bundle.close();
        Files.createLink(out, tmp); // fails if out appeared meanwhile, where a rename would replace it
        return new SealedFile(out, size, blobs, letter);
    }

    /** Deletes the temporary bundle (after a delivery, only its second name goes). */
    @Override
    public void close() throws IOException {
        if (bundle != null) {
            bundle.close();
            Files.deleteIfExists(tmp);
        }
    }
}
