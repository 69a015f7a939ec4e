package dev.sealpost.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Dimensions of a WebP file from its RIFF header and first chunk (VP8, VP8L or VP8X), read without
 * a decoder: the JDK has no WebP reader.
 *
 * @param width    in pixels (the canvas for VP8X)
 * @param height   in pixels
 * @param animated true if the VP8X animation flag is set
 */
record WebpHeader(int width, int height, boolean animated) {

    /**
     * @param webp a whole WebP file
     * @return its header
     * @throws IOException if the RIFF container is truncated or the first chunk is malformed
     */
    static WebpHeader parse(byte[] webp) throws IOException {
        if (webp.length < 20) {
            throw new IOException("truncated header");
        }
        long riffSize = le32(webp, 4);
        if (riffSize < 12 || riffSize + 8 > webp.length) {
            throw new IOException("truncated: RIFF size " + riffSize + " exceeds the file");
        }
        String chunk = new String(webp, 12, 4, StandardCharsets.US_ASCII);
        long chunkSize = le32(webp, 16);
        int p = 20;
        if (chunkSize > webp.length - p) {
            throw new IOException("truncated in the " + chunk.strip() + " chunk");
        }
        switch (chunk) {
            case "VP8 " -> {
                if (chunkSize < 10 || (webp[p + 3] & 0xFF) != 0x9D || (webp[p + 4] & 0xFF) != 0x01
                        || (webp[p + 5] & 0xFF) != 0x2A) {
                    throw new IOException("bad VP8 key frame header");
                }
                return dimensions(le16(webp, p + 6) & 0x3FFF, le16(webp, p + 8) & 0x3FFF, false);
            }
            case "VP8L" -> {
                if (chunkSize < 5 || (webp[p] & 0xFF) != 0x2F) {
                    throw new IOException("bad VP8L header");
                }
                long bits = le32(webp, p + 1);
                return dimensions((int) (bits & 0x3FFF) + 1, (int) (bits >> 14 & 0x3FFF) + 1, false);
            }
            case "VP8X" -> {
                if (chunkSize < 10) {
                    throw new IOException("bad VP8X header");
                }
                boolean animated = (webp[p] & 0x02) != 0;
                return dimensions(le24(webp, p + 4) + 1, le24(webp, p + 7) + 1, animated);
            }
            default -> throw new IOException("unknown first chunk '" + chunk.replaceAll("[^ -~]", "?") + "'");
        }
    }

    private static WebpHeader dimensions(int width, int height, boolean animated) throws IOException {
        if (width <= 0 || height <= 0) {
            throw new IOException("zero width or height");
        }
        return new WebpHeader(width, height, animated);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int le24(byte[] b, int at) {
        return le16(b, at) | (b[at + 2] & 0xFF) << 16;
    }

    private static long le32(byte[] b, int at) {
        return le24(b, at) | (b[at + 3] & 0xFFL) << 24;
    }
}
