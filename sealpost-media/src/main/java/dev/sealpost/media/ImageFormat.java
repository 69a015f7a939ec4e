package dev.sealpost.media;

import java.util.Optional;

/**
 * Image formats recognised by their content (magic bytes), never by file name.
 */
public enum ImageFormat {
    /** Portable Network Graphics, including animated PNG. */
    PNG("image/png", "png", "png"),
    /** JPEG (JFIF or Exif). */
    JPEG("image/jpeg", "jpg", "jpg", "jpeg", "jpe", "jfif"),
    /** GIF87a or GIF89a, still or animated. */
    GIF("image/gif", "gif", "gif"),
    /** Windows bitmap. */
    BMP("image/bmp", "bmp", "bmp", "dib"),
    /** WebP (RIFF container), lossy, lossless or animated. */
    WEBP("image/webp", "webp", "webp"),
    /** Classic TIFF, either byte order (not BigTIFF). */
    TIFF("image/tiff", "tiff", "tiff", "tif");

    private final String mediaType;
    private final String extension;
    private final String[] extensions;

    ImageFormat(String mediaType, String extension, String... extensions) {
        this.mediaType = mediaType;
        this.extension = extension;
        this.extensions = extensions;
    }

    /** @return the MIME media type, e.g. {@code image/png} */
    public String mediaType() {
        return mediaType;
    }

    /** @return the usual file name extension, lowercase and without the dot, e.g. {@code jpg} */
    public String extension() {
        return extension;
    }

    /** @return true if {@code ext} (without the dot, any case) is a usual extension of this format */
    boolean hasExtension(String ext) {
        for (String e : extensions) {
            if (e.equalsIgnoreCase(ext)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Recognises an image format from the first bytes of a file.
     *
     * @param head the first bytes of the content; 16 or more are enough for every format, fewer
     *             match only signatures that fit in them
     * @return the format, or empty if the content is not one of these formats
     */
    public static Optional<ImageFormat> detect(byte[] head) {
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (startsWith(head, 0, 'I', 'I', 0x2A, 0x00) || startsWith(head, 0, 'M', 'M', 0x00, 0x2A)) {
            return Optional.of(TIFF);
        }
        if (startsWith(head, 0, 'B', 'M') && head.length >= 18 && isBmpInfoHeaderSize(head)) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    /** "BM" alone is too weak a signature: also require a known DIB header size at offset 14. */
    private static boolean isBmpInfoHeaderSize(byte[] head) {
        long size = (head[14] & 0xFFL) | (head[15] & 0xFFL) << 8 | (head[16] & 0xFFL) << 16 | (head[17] & 0xFFL) << 24;
        return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64
                || size == 108 || size == 124;
    }

    private static boolean startsWith(byte[] data, int offset, int... signature) {
        if (data.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((data[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
