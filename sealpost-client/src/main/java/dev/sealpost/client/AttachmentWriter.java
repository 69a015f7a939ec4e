package dev.sealpost.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Saves a verified letter's attachments under an output folder, all or nothing: every file
 * is first written to a hidden temporary file in that folder and fsynced; only when all are
 * written are they renamed to their final, sanitised, non-clobbering names.
 */
public final class AttachmentWriter {
    private AttachmentWriter() {}

    /**
     * Gives {@code tmp} the name {@code target} without ever replacing a file that appeared
     * there meanwhile (another sealpost process, a case-insensitive file system): a hard link
     * fails if the name exists, where a rename would silently overwrite.
     */
    private static void place(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            Files.delete(tmp);
        } catch (UnsupportedOperationException e) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * @param attachments what to save
     * @param outDir      the folder (created if missing)
     * @return the paths written, in attachment order
     * @throws IOException if any file cannot be written; then none of them is left behind
     */
    public static List<Path> saveAll(List<Attachment> attachments, Path outDir) throws IOException {
        if (attachments.isEmpty()) {
            return List.of();
        }
        Files.createDirectories(outDir);
        Path dir = outDir.toRealPath();
        List<Path> temps = new ArrayList<>();
        List<Path> finals = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        boolean done = false;
        try {
            int i = 1;
            for (Attachment a : attachments) {
                String name = SafeNames.sanitize(a.filename(), "attachment-" + i++);
                finals.add(SafeNames.freePath(dir, name, taken));
                Path tmp = Files.createTempFile(dir, ".sealpost-", ".part");
                temps.add(tmp);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(a.bytes());
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
            }
            List<Path> moved = new ArrayList<>();
            try {
                for (int k = 0; k < temps.size(); k++) {
                    place(temps.get(k), finals.get(k));
                    moved.add(finals.get(k));
                }
            } catch (IOException e) {
                for (Path p : moved) {
                    Files.deleteIfExists(p);
                }
                throw e;
            }
            done = true;
            return finals;
        } finally {
            if (!done) {
                for (Path t : temps) {
                    Files.deleteIfExists(t);
                }
            }
        }
    }
}
