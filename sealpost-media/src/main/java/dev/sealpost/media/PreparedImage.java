package dev.sealpost.media;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

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
 * @param width        width of {@code bytes} in pixels, as stored (a JPEG kept with its EXIF
 *                     orientation is displayed turned)
 * @param height       height of {@code bytes} in pixels, as stored
 * @param format       format of {@code bytes}
 * @param metadata     the kinds of metadata found in the input (EXIF, GPS, XMP, comments...), in
 *                     {@link MetadataKind} order; the orientation and colour information do not count
 * @param metadataKept true if {@code bytes} still carry {@code metadata}: with {@link Compression#none()},
 *                     with {@link MediaOptions#keepMetadata()} when the bytes travel as given, or for a
 *                     format that cannot be stripped and was kept as given (multi-page or CMYK TIFF);
 *                     the CLI should warn
 */
public record PreparedImage(String filename, String mediaType, byte[] bytes, long originalSize, int width, int height,
                            ImageFormat format, Set<MetadataKind> metadata, boolean metadataKept) {

    /**
     * @throws NullPointerException     if a reference is null
     * @throws IllegalArgumentException if a size is negative or a dimension not positive
     */
    public PreparedImage {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(metadata, "metadata");
        if (originalSize < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad size " + originalSize + " bytes, " + width + "x" + height + " pixels");
        }
        metadata = metadata.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(metadata));
    }

    /** An image without metadata: {@code metadata} empty, {@code metadataKept} false. */
    public PreparedImage(String filename, String mediaType, byte[] bytes, long originalSize, int width, int height,
                         ImageFormat format) {
        this(filename, mediaType, bytes, originalSize, width, height, format, Set.of(), false);
    }

    /**
     * @return the kinds of metadata removed from the input, for a report such as
     *         "removed: GPS position, camera make, model and serial number"; empty if none was
     *         found or it was kept
     */
    public Set<MetadataKind> removed() {
        return metadataKept ? Set.of() : metadata;
    }

    /** @return the size of {@link #bytes()} in bytes */
    public long size() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "PreparedImage[" + filename + ", " + mediaType + ", " + width + "x" + height + ", "
                + originalSize + " -> " + bytes.length + " bytes" + (metadataKept ? ", metadata kept" : "") + "]";
    }
}
