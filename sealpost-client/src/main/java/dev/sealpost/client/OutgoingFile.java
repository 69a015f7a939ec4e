package dev.sealpost.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A file to send as it is (any type, any size), read from disk while it is encrypted.
 *
 * @param path      where it is read from
 * @param name      the name it travels under: the file name, or a relative path with
 *                  {@code /} separators for a file of a folder
 * @param mediaType e.g. {@code video/mp4}; {@code application/octet-stream} when unknown
 * @param size      bytes, as seen when it was chosen
 * @param modified  last-modified time in milliseconds since the epoch, as seen when it was chosen
 */
public record OutgoingFile(Path path, String name, String mediaType, long size, long modified) {
    /** @throws NullPointerException if a field is null; @throws IllegalArgumentException if size is negative */
    public OutgoingFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }

    /**
     * Expands a command-line argument: a regular file becomes itself; a folder becomes every
     * regular file below it, in name order, each named {@code FOLDER/relative/path}. Symbolic
     * links inside a folder are not followed (they could lead anywhere).
     *
     * @param arg a file or folder
     * @return the files, at least one for a file, possibly none for an empty folder
     * @throws NoSuchFileException if {@code arg} does not exist
     * @throws IOException         if it is neither a regular file nor a folder, or cannot be read
     */
    public static List<OutgoingFile> expand(Path arg) throws IOException {
        if (!Files.exists(arg)) {
            throw new NoSuchFileException(arg.toString(), null, "no such file or folder");
        }
        if (Files.isRegularFile(arg)) {
            return List.of(of(arg, arg.getFileName().toString()));
        }
        if (!Files.isDirectory(arg)) {
            throw new IOException(arg + ": not a regular file or folder");
        }
        Path root = arg.toAbsolutePath().normalize();
        String top = root.getFileName() == null ? "files" : root.getFileName().toString();
        List<OutgoingFile> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    String rel = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                    out.add(of(p, top + "/" + rel));
                }
            }
        }
        return out;
    }

    /**
     * @param file a regular file
     * @param name the name it travels under
     * @return it, with its media type guessed from the name and its size and time read now
     */
    public static OutgoingFile of(Path file, String name) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new OutgoingFile(file, name, mediaType(file), a.size(), a.lastModifiedTime().toMillis());
    }

    /**
     * Files carried inside the letter, and files sent beside it as blobs.
     *
     * @param inline read into the letter
     * @param blobs  streamed as separately encrypted blobs
     */
    public record Split(List<OutgoingFile> inline, List<OutgoingFile> blobs) {}

    /**
     * Decides which files travel inside the S/MIME message: each at most {@code inlineLimit}
     * bytes, and together at most twice that, so the sealed letter stays well within the relay's
     * message limit (96 MiB by default) and its memory use bounded; the rest become blobs.
     *
     * @param files       in order
     * @param inlineLimit largest file carried inside, in bytes
     * @return the split, each list in the original order
     */
    public static Split split(List<OutgoingFile> files, long inlineLimit) {
        List<OutgoingFile> inline = new ArrayList<>();
        List<OutgoingFile> blobs = new ArrayList<>();
        long total = 0;
        for (OutgoingFile f : files) {
            if (f.size() <= inlineLimit && total + f.size() <= 2 * inlineLimit) {
                inline.add(f);
                total += f.size();
            } else {
                blobs.add(f);
            }
        }
        return new Split(List.copyOf(inline), List.copyOf(blobs));
    }

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("mov", "video/quicktime"),
            Map.entry("mkv", "video/x-matroska"), Map.entry("webm", "video/webm"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("ogg", "audio/ogg"),
            Map.entry("flac", "audio/flac"), Map.entry("wav", "audio/wav"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"), Map.entry("zst", "application/zstd"),
            Map.entry("xz", "application/x-xz"), Map.entry("txt", "text/plain"), Map.entry("csv", "text/csv"),
            Map.entry("json", "application/json"), Map.entry("dcm", "application/dicom"), Map.entry("nii", "application/octet-stream"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"), Map.entry("heic", "image/heic"));

    /** A media type from the file's extension, or {@code application/octet-stream}. */
    static String mediaType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String known = TYPES.get(ext);
        if (known != null) {
            return known;
        }
        try {
            String probed = Files.probeContentType(file);
            if (probed != null && probed.matches("[a-z]+/[a-zA-Z0-9.+-]+")) {
                return probed;
            }
        } catch (IOException | SecurityException ignored) {
            // fall through
        }
        return "application/octet-stream";
    }
}
