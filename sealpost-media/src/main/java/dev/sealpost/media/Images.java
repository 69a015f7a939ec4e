package dev.sealpost.media;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Prepares images for attaching to a message: recognises the format by content, refuses
 * decompression bombs and broken files, and compresses as asked.
 *
 * <p>Every input goes through the same checks first, whatever the mode: the format is detected
 * from the content (never from the file name), the width and height are read from the header
 * and more than {@link #DEFAULT_MAX_PIXELS} pixels are refused before any pixel is allocated,
 * and the file structure is checked (PNG chunks and CRCs up to IEND, JPEG markers up to EOI,
 * the WebP RIFF size), so truncated files fail here rather than at the receiver.
 *
 * <p>Then, by {@link Compression.Mode}:
 * <ul>
 *   <li>{@code LOSSLESS}: a PNG is decoded and re-encoded at maximum deflate with exactly the same
 *       samples (bit depth, grey, palette and alpha kept) and its colour chunks (gAMA, cHRM, iCCP,
 *       sRGB, cICP, mDCv, cLLi) carried over; the original bytes are kept if that is not smaller.
 *       BMP and TIFF become PNG, unless PNG cannot hold their samples exactly (CMYK, floating
 *       point), then they are kept. A JPEG keeps its own bytes, since JPEG pixels stored as PNG
 *       grow. GIF and WebP keep their bytes as given.</li>
 *   <li>{@code JPEG}: decoded and encoded as JPEG at the given quality, transparency composed onto
 *       white, grey kept as a single channel. A JPEG input keeps its bytes if the re-encoding is not
 *       smaller. WebP (no decoder in the JDK) keeps its bytes as given.</li>
 *   <li>{@code NONE}: the bytes as given, after the checks above.</li>
 * </ul>
 * In every mode, animations (animated PNG and GIF, animated WebP) and multi-page TIFF keep their
 * bytes as given, since re-encoding would keep only the first frame. Bytes kept as given keep any
 * metadata they contain (EXIF, XMP); a re-encoded image has none besides the PNG colour chunks.
 *
 * <p>Thread-safe: no shared state.
 */
public final class Images {

    /** Largest image accepted by default, in pixels (width x height): 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private Images() {}

    /**
     * Reads and prepares an image file.
     *
     * @param file        the image file; its name is used for the attachment (base name only, extension
     *                    adjusted to the output format) and, as given, in error messages
     * @param compression what to do with it
     * @return the image to attach
     * @throws ImageException if the file cannot be read ({@code "d.png: cannot read: No such file"}), is not an
     *                        image, is over {@link #DEFAULT_MAX_PIXELS}, is truncated or corrupt, or cannot be
     *                        decoded or encoded
     */
    public static PreparedImage prepare(Path file, Compression compression) throws ImageException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(compression, "compression");
        String name = file.toString();
        return prepare(name, read(file, name), compression, DEFAULT_MAX_PIXELS);
    }

    /**
     * Prepares an image held in memory.
     *
     * @param filename    the name the image came with; used as in {@link #prepare(Path, Compression)}
     * @param data        the whole file (not modified; returned as is when kept as given)
     * @param compression what to do with it
     * @return the image to attach
     * @throws ImageException if {@code data} is not an image, is over {@link #DEFAULT_MAX_PIXELS}, is truncated or
     *                        corrupt, or cannot be decoded or encoded
     */
    public static PreparedImage prepare(String filename, byte[] data, Compression compression)
            throws ImageException {
        return prepare(filename, data, compression, DEFAULT_MAX_PIXELS);
    }

    /** As {@link #prepare(String, byte[], Compression)} with a pixel limit other than the default. */
    static PreparedImage prepare(String filename, byte[] data, Compression compression, long maxPixels)
            throws ImageException {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(compression, "compression");
        SourceImage source = Probe.probe(filename, data, maxPixels);
        return Compressor.of(compression).compress(source);
    }

    private static byte[] read(Path file, String name) throws ImageException {
        try {
            if (Files.isDirectory(file)) {
                throw new ImageException(name, "cannot read: is a directory");
            }
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new ImageException(name, "cannot read: " + size + " bytes is too large");
            }
            return Files.readAllBytes(file);
        } catch (ImageException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new ImageException(name, "cannot read: No such file", e);
        } catch (AccessDeniedException e) {
            throw new ImageException(name, "cannot read: Permission denied", e);
        } catch (FileSystemException e) {
            throw new ImageException(name, "cannot read: " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()), e);
        } catch (IOException e) {
            throw new ImageException(name, "cannot read: " + e.getMessage(), e);
        }
    }
}
