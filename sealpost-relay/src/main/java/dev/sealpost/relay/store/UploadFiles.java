package dev.sealpost.relay.store;

import dev.sealpost.crypto.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bytes of resumable uploads: one file per upload (mode 0600), named by its id, in one
 * directory (mode 0700 when created, for example {@code dataDir/uploads/}), apart from whole sealed messages ({@link SealedMessageStore}).
 * A file is appended to in place, so it may hold bytes past the durable offset its
 * {@link UploadRecord} records (written but not yet forced when the relay stopped); whoever
 * appends next must cut it back to the durable offset first. Thread-safe; coordinating writers of
 * one upload is the caller's job.
 */
public final class UploadFiles {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path dir;

    UploadFiles(Path dir) throws IOException {
        AtomicFiles.createPrivateDirectory(dir);
        this.dir = dir;
    }

    /** @return true if {@code id} has the shape of an upload id ({@code [A-Za-z0-9_-]{1,64}}) */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Opens an upload's file for writing, creating it if missing with mode 0600 (and then
     * forcing the directory, so a file whose bytes were forced is not lost with its directory entry).
     *
     * @return a channel at position 0; the caller positions, truncates, forces and closes it
     * @throws IOException if the file cannot be opened or created
     * @throws IllegalArgumentException if {@code id} is not a valid upload id
     */
    public FileChannel openForWrite(String id) throws IOException {
        Path file = path(id);
        boolean existed = Files.exists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (!existed) {
            try {
                AtomicFiles.setPermissions(file, AtomicFiles.OWNER_ONLY); // the folder is 0700 already
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            forceDirectory();
        }
        return ch;
    }

    /**
     * @return the upload's file for reading; the caller closes it
     * @throws NoSuchFileException if there is no such file
     */
    public FileChannel openForRead(String id) throws IOException {
        return FileChannel.open(path(id), StandardOpenOption.READ);
    }

    /** @return true if the file existed and was deleted */
    public boolean delete(String id) throws IOException {
        return Files.deleteIfExists(path(id));
    }

    /** @return the ids of every stored file (to find files whose upload row is gone) */
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path p : all) {
                String name = p.getFileName().toString();
                if (isValidId(name)) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; nothing more can be done there.
        }
    }

    private Path path(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("invalid upload id");
        }
        return dir.resolve(id);
    }
}
