package dev.sealpost.client;

import dev.sealpost.crypto.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Saves received files all-or-nothing: each is written to a temporary file in the output
 * folder, and only when every one of them is complete (and, for blobs, verified) are they
 * given their final names. On any failure no file is left behind, and no folder that this
 * writer created. A durable batch also forces the files and their folders to disk before
 * {@link Batch#commit()} returns: {@code receive} needs that before it lets the relay delete
 * the message; offline {@code open}, whose input stays, does not pay for it.
 *
 * <p>Names come from the message and are untrusted: a file of a sent folder keeps its
 * relative path, with every component passed through {@link SafeNames}; an existing file is
 * never replaced (a free name {@code name-2.ext} is chosen instead).
 *
 * <p>Received files are private: every file is saved with mode 0600, and every folder this
 * writer creates (the output folder if missing, and the folders of a sent folder's paths) with
 * mode 0700. An existing output folder keeps its mode.
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
     * @param outDir      the folder (created with mode 0700 if missing)
     * @return the paths written, in attachment order
     * @throws IOException if any file cannot be written; then none of them is left behind
     */
    public static List<Path> saveAll(List<Attachment> attachments, Path outDir) throws IOException {
        if (attachments.isEmpty()) {
            return List.of();
        }
        try (Batch batch = begin(outDir, true)) {
            for (Attachment a : attachments) {
                batch.add(a.filename(), a.bytes());
            }
            return batch.commit();
        }
    }

    /**
     * Starts an all-or-nothing batch of files under {@code outDir} (created with mode 0700,
     * with any missing parents, if missing; an existing folder keeps its mode).
     *
     * @param durable force files and folders to disk before {@link Batch#commit()} returns
     * @throws IOException if the folder cannot be created
     */
    public static Batch begin(Path outDir, boolean durable) throws IOException {
        return new Batch(outDir, durable);
    }

    /**
     * Files written to temporary names, placed together by {@link #commit()}; {@link #close()}
     * without a commit deletes them.
     */
    public static final class Batch implements AutoCloseable {
        private final Path dir;
        private final boolean durable;
        private final boolean posix;
        private final List<Path> temps = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private boolean committed;

        private Batch(Path outDir, boolean durable) throws IOException {
            createPrivateDirectories(outDir);
            this.dir = outDir.toRealPath();
            this.durable = durable;
            this.posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        }

        /** @return true if files must be forced to disk before they are registered */
        public boolean durable() {
            return durable;
        }

        /**
         * @return a new empty temporary file in the output folder, to be filled and then passed
         *         to {@link #add(String, Path)}; deleted on {@link #close()} unless committed
         */
        public Path newTemp() throws IOException {
            Path tmp = Files.createTempFile(dir, ".sealpost-", ".part");
            temps.add(tmp);
            names.add(null);
            return tmp;
        }

        /**
         * Registers a filled temporary file from {@link #newTemp()} under an untrusted name.
         *
         * @param untrustedName the name from the message, possibly a relative path
         * @param temp          the file; must come from {@link #newTemp()}, complete, and forced to
         *                      disk if the batch is {@link #durable()}
         */
        public void add(String untrustedName, Path temp) {
            int i = temps.indexOf(temp);
            if (i < 0 || names.get(i) != null) {
                throw new IllegalArgumentException("not a fresh temporary file of this batch");
            }
            names.set(i, untrustedName == null ? "" : untrustedName);
        }

        /**
         * Registers a complete file from elsewhere (a finished download) under {@code untrustedName}
         * without moving it: it is hard-linked into the output folder (copied if that is another
         * file system), so the original survives if the batch is abandoned, and can be deleted
         * once the batch is committed.
         *
         * @param untrustedName the name from the message, possibly a relative path
         * @param file          the file; forced to disk already if the batch is {@link #durable()}
         */
        public void adopt(String untrustedName, Path file) throws IOException {
            Path tmp = newTemp();
            Files.delete(tmp);
            try {
                Files.createLink(tmp, file);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(file, tmp);
                if (durable) {
                    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
            AtomicFiles.setPermissions(tmp, AtomicFiles.OWNER_ONLY); // a download keeps the umask's mode
            add(untrustedName, tmp);
        }

        /** Writes {@code bytes} to a temporary file and registers it under {@code untrustedName}. */
        public void add(String untrustedName, byte[] bytes) throws IOException {
            Path tmp = newTemp();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            add(untrustedName, tmp);
        }

        /**
         * Gives every registered file its final name.
         *
         * @return the final paths, in the order added
         * @throws IOException if one cannot be placed; then none is left behind
         */
        public List<Path> commit() throws IOException {
            List<Path> placed = new ArrayList<>();
            List<Path> createdDirs = new ArrayList<>();
            Set<String> taken = new HashSet<>();
            try {
                for (int k = 0; k < temps.size(); k++) {
                    if (names.get(k) == null) {
                        continue;
                    }
                    List<String> parts = SafeNames.relative(names.get(k), "file-" + (k + 1));
                    Path parent = dir;
                    for (String c : parts.subList(0, parts.size() - 1)) {
                        parent = parent.resolve(c);
                        if (!Files.isDirectory(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            createPrivateDirectory(parent);
                            createdDirs.add(parent);
                        }
                    }
                    String prefix = dir.relativize(parent).toString();
                    Path target = SafeNames.freePath(parent, parts.getLast(), new PrefixedSet(taken, prefix));
                    AtomicFiles.setPermissions(temps.get(k), AtomicFiles.OWNER_ONLY); // whoever filled it
                    place(temps.get(k), target);
                    placed.add(target);
                }
                if (durable) {
                    java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
                    placed.forEach(p -> dirs.add(p.getParent()));
                    createdDirs.forEach(d -> dirs.add(d.getParent()));
                    for (Path d : dirs) {
                        forceDirectory(d);
                    }
                }
            } catch (IOException | RuntimeException e) {
                for (Path p : placed) {
                    Files.deleteIfExists(p);
                }
                for (Path d : createdDirs.reversed()) {
                    try {
                        Files.deleteIfExists(d);
                    } catch (IOException ignored) {
                        // not empty: something else wrote there meanwhile
                    }
                }
                throw e;
            }
            committed = true;
            return placed;
        }

        /** Creates one folder, 0700 from the start; fails if it exists (someone else's). */
        private void createPrivateDirectory(Path folder) throws IOException {
            if (posix) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_DIR));
                Files.setPosixFilePermissions(folder, AtomicFiles.OWNER_DIR); // independent of the umask
            } else {
                Files.createDirectory(folder);
            }
        }

        /** Deletes the temporary files unless {@link #commit()} succeeded. */
        @Override
        public void close() throws IOException {
            if (!committed) {
                for (Path t : temps) {
                    Files.deleteIfExists(t);
                }
            }
        }
    }

    /** Creates {@code folder} and its missing parents, each with mode 0700; existing ones are kept as they are. */
    private static void createPrivateDirectories(Path folder) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(p);
        }
        for (Path p : missing.reversed()) {
            AtomicFiles.createPrivateDirectory(p);
        }
    }

    /** Makes a folder's entries durable; a no-op where folders cannot be opened (not POSIX). */
    private static void forceDirectory(Path d) throws IOException {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // e.g. Windows: directory handles cannot be opened this way
        }
    }

    /** Names taken within one folder of the batch, kept in one set keyed by folder. */
    private static final class PrefixedSet extends java.util.AbstractSet<String> {
        private final Set<String> all;
        private final String prefix;

        PrefixedSet(Set<String> all, String prefix) {
            this.all = all;
            this.prefix = prefix + "/";
        }

        @Override
        public boolean add(String s) {
            return all.add(prefix + s);
        }

        @Override
        public boolean contains(Object o) {
            return all.contains(prefix + o);
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return all.stream().filter(s -> s.startsWith(prefix)).map(s -> s.substring(prefix.length())).iterator();
        }

        @Override
        public int size() {
            return (int) all.stream().filter(s -> s.startsWith(prefix)).count();
        }
    }
}
