package dev.sealpost.client;

import java.util.Objects;

/**
 * One file carried inside a letter.
 *
 * @param filename  the name as the sender gave it; never used as a path without {@link SafeNames}
 * @param mediaType e.g. {@code image/png}
 * @param bytes     the content, exactly as signed
 * @param width     image width in pixels, or 0 if not an image or unknown
 * @param height    image height in pixels, or 0 if not an image or unknown
 * @param thumbnail a small preview that travels with it inside the envelope, or null
 */
public record Attachment(String filename, String mediaType, byte[] bytes, int width, int height, Thumbnail thumbnail) {
    /** @throws NullPointerException if filename, mediaType or bytes is null */
    public Attachment {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(bytes, "bytes");
    }

    /** A file with no image information and no thumbnail. */
    public Attachment(String filename, String mediaType, byte[] bytes) {
        this(filename, mediaType, bytes, 0, 0, null);
    }

    /** @return the content length in bytes */
    public long size() {
        return bytes.length;
    }

    /** @return a copy carrying {@code t} as its thumbnail */
    public Attachment withThumbnail(Thumbnail t) {
        return new Attachment(filename, mediaType, bytes, width, height, t);
    }

    /**
     * A preview image, at most 320 pixels on its longer side.
     *
     * @param mediaType e.g. {@code image/jpeg}
     * @param bytes     the encoded preview
     * @param width     pixels
     * @param height    pixels
     */
    public record Thumbnail(String mediaType, byte[] bytes, int width, int height) {
        /** @throws NullPointerException if mediaType or bytes is null */
        public Thumbnail {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
