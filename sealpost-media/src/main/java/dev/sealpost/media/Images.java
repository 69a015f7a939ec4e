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
 * GIF blocks up to the trailer, WebP RIFF chunks), so truncated files fail here rather than at
 * the receiver.
 *
 * <p>Metadata is then removed at container level, unless {@link MediaOptions#keepMetadata()} or
 * {@code none}: only pixels and colour information (ICC profile, PNG gAMA, cHRM, sRGB, cICP)
 * travel. A JPEG loses its APP1 (EXIF, XMP), APP13 (IPTC), COM and other APPn segments except JFIF,
 * Adobe and ICC_PROFILE; a PNG its text, eXIf, tIME and unknown ancillary chunks; a GIF its comment
 * and application extensions except looping and ICC; a WebP its EXIF and XMP chunks. An EXIF
 * orientation other than 1 survives in a minimal EXIF holding only that tag, where the bytes are
 * kept, and is applied to the pixels where they are re-encoded. {@link PreparedImage#metadata()}
 * says what was found, e.g. {@link MetadataKind#GPS}.
 *
 * <p>With {@link MediaOptions#maxSize()}, a larger image is first downscaled (see
 * {@link DownscaleCompressor}). Then, by {@link Compression.Mode}:
 * <ul>
 *   <li>{@code LOSSLESS}: a PNG is decoded and re-encoded by {@link PngOptimizer} in the smallest
 *       exact layout (colour type, palette, bit depth), best filter and deflate strategy, with its
 *       colour chunks (gAMA, cHRM, iCCP, sRGB, cICP, mDCv, cLLi) carried over; decoded pixels are
 *       identical, and the original bytes are kept if the result is not smaller.
 *       BMP and TIFF become PNG, unless PNG cannot hold their samples exactly (CMYK, floating
 *       point), then they are kept. A JPEG keeps its own bytes (minus metadata), since JPEG pixels
 *       stored as PNG grow. GIF and WebP keep their bytes (minus metadata).</li>
 *   <li>{@code JPEG}: decoded and encoded as JPEG at the given quality, transparency composed onto
 *       white, grey kept as a single channel, CMYK and YCCK JPEGs converted to sRGB, WebP decoded
 *       (TwelveMonkeys ImageIO plugins). A JPEG input keeps its bytes (minus metadata) if the
 *       re-encoding is not smaller.</li>
 *   <li>{@code NONE}: the bytes as given, metadata included, after the checks above.</li>
 * </ul>
 * In every mode, animations (animated PNG and GIF, animated WebP) and multi-page TIFF keep their
 * bytes (minus metadata), since re-encoding would keep only the first frame. A TIFF kept as given
 * (multi-page, CMYK) keeps its metadata, flagged by {@link PreparedImage#metadataKept()}.
 *
 * <p>Thread-safe: no shared state.
 */
public final class Images {

    /** Largest image accepted by default, in pixels (width x height): 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private Images() {}

    /**
     * Reads and prepares an image file with default options: metadata stripped, the default pixel
     * limit. Same as {@code prepare(file, MediaOptions.defaults(compression))}.
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
        Objects.requireNonNull(compression, "compression");
        return prepare(file, MediaOptions.defaults(compression));
    }

    /**
     * Reads and prepares an image file.
     *
     * @param file    the image file; its name is used for the attachment (base name only, extension
     *                adjusted to the output format) and, as given, in error messages
     * @param options compression, metadata handling and pixel limit
     * @return the image to attach
     * @throws ImageException if the file cannot be read ({@code "d.png: cannot read: No such file"}), is not an
     *                        image, is over {@link MediaOptions#maxPixels()}, is truncated or corrupt, or cannot
     *                        be decoded or encoded
     */
    public static PreparedImage prepare(Path file, MediaOptions options) throws ImageException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        String name = file.toString();
        return prepare(name, read(file, name), options);
    }

    /**
     * Prepares an image held in memory with default options (metadata stripped, default pixel limit).
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
        Objects.requireNonNull(compression, "compression");
        return prepare(filename, data, MediaOptions.defaults(compression));
    }

    /** As {@link #prepare(String, byte[], Compression)} with a pixel limit other than the default. */
    static PreparedImage prepare(String filename, byte[] data, Compression compression, long maxPixels)
            throws ImageException {
        Objects.requireNonNull(compression, "compression");
        return prepare(filename, data, new MediaOptions(compression, false, maxPixels, 0));
    }

    /**
     * Prepares an image held in memory.
     *
     * @param filename the name the image came with; used as in {@link #prepare(Path, MediaOptions)}
     * @param data     the whole file (not modified; returned as is when kept as given with its metadata)
     * @param options  compression, metadata handling and pixel limit
     * @return the image to attach; {@link PreparedImage#metadata()} lists what the input carried and
     *         {@link PreparedImage#metadataKept()} whether it still travels
     * @throws ImageException if {@code data} is not an image, is over {@link MediaOptions#maxPixels()}, is
     *                        truncated or corrupt, or cannot be decoded or encoded
     */
    public static PreparedImage prepare(String filename, byte[] data, MediaOptions options) throws ImageException {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        SourceImage source = Probe.probe(filename, data, options.maxPixels());
        MetadataScan scan;
        try {
            scan = MetadataScan.scan(source.format(), source.data());
        } catch (IOException e) {
            throw source.corrupt(e);
        }
        boolean strip = !options.keepMetadata() && options.compression().mode() != Compression.Mode.NONE;
        Compressor compressor = Compressor.of(options.compression());
        if (options.maxSize() > 0 && options.compression().mode() != Compression.Mode.NONE) {
            compressor = new DownscaleCompressor(compressor, options.compression(), options.maxSize());
        }
        return compressor.compress(source.withMetadata(scan, strip));
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
