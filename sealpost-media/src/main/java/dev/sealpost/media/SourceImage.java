package dev.sealpost.media;

import java.util.Set;

/**
 * An input that has passed {@link Probe}: recognised format, dimensions within the pixel limit,
 * structure intact. Nothing has been decoded yet.
 *
 * @param name         the file name as the caller gave it, for messages
 * @param data         the bytes that travel when the image is kept rather than re-encoded: the input
 *                     (not copied), or the input with its metadata removed
 * @param format       detected from the content
 * @param width        in pixels, from the header, as stored (before orientation)
 * @param height       in pixels, from the header, as stored
 * @param multiFrame   true for animations (APNG, animated GIF or WebP) and multi-page TIFF, which
 *                     are kept as given because re-encoding would keep only the first frame
 * @param originalSize size of the input in bytes
 * @param orientation  EXIF orientation of the input, 1..8, applied by {@link Decoder#decode}
 * @param metadata     the kinds of metadata the input carries
 * @param stripped     true if {@code data} no longer carries {@code metadata}
 */
record SourceImage(String name, byte[] data, ImageFormat format, int width, int height, boolean multiFrame,
                   long originalSize, int orientation, Set<MetadataKind> metadata, boolean stripped) {

    /** A probed input as given: no metadata looked at yet. */
    SourceImage(String name, byte[] data, ImageFormat format, int width, int height, boolean multiFrame) {
        this(name, data, format, width, height, multiFrame, data.length, 1, Set.of(), false);
    }

    /**
     * @param scan  the result of {@link MetadataScan#scan} on {@link #data}
     * @param strip true to send {@code scan.stripped()} where the format allows it
     * @return this input with the orientation and metadata of {@code scan}
     */
    SourceImage withMetadata(MetadataScan scan, boolean strip) {
        boolean canStrip = strip && scan.stripped() != null;
        return new SourceImage(name, canStrip ? scan.stripped() : data, format, width, height, multiFrame,
                originalSize, scan.orientation(), scan.found(), canStrip);
    }

    /** @return {@link #data} unchanged (stripped or not), named for its real format, stored dimensions */
    PreparedImage keep() {
        return new PreparedImage(Filenames.attachmentName(name, format), format.mediaType(), data, originalSize,
                width, height, format, metadata, !stripped && !metadata.isEmpty());
    }

    /**
     * @param outputFormat the format of {@code bytes}
     * @param bytes        a re-encoding of the pixels from {@link Decoder#decode}, which carries no
     *                     metadata and has the orientation applied
     * @return {@code bytes} as the image to send, with upright dimensions
     */
    PreparedImage encoded(ImageFormat outputFormat, byte[] bytes) {
        boolean swap = Orientation.swapsDimensions(orientation);
        return new PreparedImage(Filenames.attachmentName(name, outputFormat), outputFormat.mediaType(), bytes,
                originalSize, swap ? height : width, swap ? width : height, outputFormat, metadata, false);
    }

    /** @return an exception naming this file and {@code reason} */
    ImageException error(String reason, Throwable cause) {
        return new ImageException(name, reason, cause);
    }

    /** @return the exception for content that is not a well-formed image of its format */
    ImageException corrupt(Throwable cause) {
        return corrupt(name, format, cause);
    }

    static ImageException corrupt(String name, ImageFormat format, Throwable cause) {
        return new ImageException(name, "truncated or corrupt " + format.name(), cause);
    }
}
