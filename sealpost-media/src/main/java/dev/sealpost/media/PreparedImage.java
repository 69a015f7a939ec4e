package dev.sealpost.media;

import java.util.Objects;

/**
 * An image ready to be attached to a message.
 *
 * <p>The byte array is not copied, neither here nor by its accessor; callers do not modify it.
 *
 * @param filename     base name for the attachment (no directories), its extension matching
 *                     {@code format}
 * @param mediaType    MIME type of {@code bytes}, e.g. {@code image/png}
 * @param bytes        the encoded image to send
 * @param originalSize size of the input in bytes, for before/after reports
 * @param width        width of {@code bytes} in pixels
 * @param height       height of {@code bytes} in pixels
 * @param format       format of {@code bytes}
 */
public record PreparedImage(String filename, String mediaType, byte[] bytes, long originalSize, int width, int height,
                            ImageFormat format) {

    /**
     * @throws NullPointerException     if a reference is null
     * @throws IllegalArgumentException if a size is negative or a dimension not positive
     */
    public PreparedImage {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(format, "format");
        if (originalSize < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad size " + originalSize + " bytes, " + width + "x" + height + " pixels");
        }
    }

    /** @return the size of {@link #bytes()} in bytes */
    public long size() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "PreparedImage[" + filename + ", " + mediaType + ", " + width + "x" + height + ", "
                + originalSize + " -> " + bytes.length + " bytes]";
    }
}
