package dev.sealpost.media;

/**
 * An input that has passed {@link Probe}: recognised format, dimensions within the pixel limit,
 * structure intact. Nothing has been decoded yet.
 *
 * @param name       the file name as the caller gave it, for messages
 * @param data       the input bytes (not copied)
 * @param format     detected from the content
 * @param width      in pixels, from the header
 * @param height     in pixels, from the header
 * @param multiFrame true for animations (APNG, animated GIF or WebP) and multi-page TIFF, which
 *                   are kept as given because re-encoding would keep only the first frame
 */
record SourceImage(String name, byte[] data, ImageFormat format, int width, int height, boolean multiFrame) {

    /** @return the input unchanged, named for its real format */
    PreparedImage keep() {
        return encoded(format, data);
    }

    /** @return {@code bytes} in {@code outputFormat}, same dimensions as the input */
    PreparedImage encoded(ImageFormat outputFormat, byte[] bytes) {
        return new PreparedImage(Filenames.attachmentName(name, outputFormat), outputFormat.mediaType(), bytes,
                data.length, width, height, outputFormat);
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
