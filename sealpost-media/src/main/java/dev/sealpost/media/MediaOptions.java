package dev.sealpost.media;

import java.util.Objects;

/**
 * How {@link Images#prepare(java.nio.file.Path, MediaOptions)} treats an image.
 *
 * @param compression  what to do with the pixels
 * @param keepMetadata true to send bytes kept as given with their metadata (EXIF, GPS, XMP,
 *                     comments), for {@code --keep-metadata}; false (the default) to strip it. A
 *                     re-encoded image never carries metadata besides colour information, and has
 *                     its EXIF orientation applied to the pixels either way.
 * @param maxPixels    largest image accepted, in pixels (width x height), checked from the header
 *                     before decoding; {@link Images#DEFAULT_MAX_PIXELS} by default
 * @param maxSize      longest side in pixels ({@code --max-size}); a larger image is downscaled with a
 *                     high-quality filter and re-encoded (see {@link DownscaleCompressor}); 0 for none.
 *                     Ignored in {@code none} mode, which sends bytes as given.
 */
public record MediaOptions(Compression compression, boolean keepMetadata, long maxPixels, int maxSize) {

    /**
     * @throws NullPointerException     if {@code compression} is null
     * @throws IllegalArgumentException if {@code maxPixels} is not positive or {@code maxSize} is negative
     */
    public MediaOptions {
        Objects.requireNonNull(compression, "compression");
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, not " + maxPixels);
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be 0 (off) or positive, not " + maxSize);
        }
    }

    /** @return {@code compression} with metadata stripped, the default pixel limit and no downscale */
    public static MediaOptions defaults(Compression compression) {
        return new MediaOptions(compression, false, Images.DEFAULT_MAX_PIXELS, 0);
    }

    /** @return the same options with {@code maxSize} (pixels, 0 for none) set as given */
    public MediaOptions withMaxSize(int side) {
        return new MediaOptions(compression, keepMetadata, maxPixels, side);
    }

    /** @return the same options with {@code keepMetadata} set as given */
    public MediaOptions withKeepMetadata(boolean keep) {
        return new MediaOptions(compression, keep, maxPixels, maxSize);
    }
}
