package dev.sealpost.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * The block structure of a GIF file (GIF89a specification, CompuServe 1990), walked without
 * decoding, for stripping metadata: comment extensions and application extensions other than the
 * looping ones (NETSCAPE2.0, ANIMEXTS1.0) and the ICC profile (ICCRGBG1012) are dropped; the
 * header, colour tables, graphic control and plain text extensions and every frame are copied
 * byte for byte.
 */
final class GifBlocks {
    private static final int EXTENSION = 0x21;
    private static final int IMAGE = 0x2C;
    private static final int TRAILER = 0x3B;
    private static final int GRAPHIC_CONTROL = 0xF9;
    private static final int PLAIN_TEXT = 0x01;
    private static final int COMMENT = 0xFE;
    private static final int APPLICATION = 0xFF;
    private static final Set<String> KEPT_APPLICATIONS = Set.of("NETSCAPE2.0", "ANIMEXTS1.0", "ICCRGBG1012");

    private GifBlocks() {}

    /**
     * @param gif a whole GIF file
     * @return the stripped file (ending in a trailer, added if the input had none after its last
     *         block) and what was found
     * @throws IOException if a block is truncated or malformed, or there is no image
     */
    static MetadataScan strip(byte[] gif) throws IOException {
        if (gif.length < 13) {
            throw new IOException("truncated header");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(gif.length);
        EnumSet<MetadataKind> found = MetadataScan.kinds();
        int pos = 13 + colourTableSize(gif[10]);
        need(gif, pos, 0);
        out.write(gif, 0, pos);
        boolean image = false;
        while (pos < gif.length) {
            int start = pos;
            int block = gif[pos++] & 0xFF;
            if (block == TRAILER) {
                if (MetadataScan.hasContent(gif, pos)) {
                    found.add(MetadataKind.OTHER);
                }
                break;
            }
            if (block == IMAGE) {
                need(gif, pos, 10);
                pos += 9 + colourTableSize(gif[pos + 8]);
                need(gif, pos, 1);
                pos = skipSubBlocks(gif, pos + 1);
                out.write(gif, start, pos - start);
                image = true;
            } else if (block == EXTENSION) {
                need(gif, pos, 1);
                int label = gif[pos++] & 0xFF;
                int end = skipSubBlocks(gif, pos);
                boolean keep = label == GRAPHIC_CONTROL || label == PLAIN_TEXT;
                if (label == COMMENT) {
                    found.add(MetadataKind.COMMENT);
                } else if (label == APPLICATION) {
                    String id = (gif[pos] & 0xFF) == 11 ? new String(gif, pos + 1, 11, StandardCharsets.ISO_8859_1) : "";
                    keep = KEPT_APPLICATIONS.contains(id);
                    if (!keep) {
                        found.add(id.equals("XMP DataXMP") ? MetadataKind.XMP : MetadataKind.OTHER);
                    }
                } else if (!keep) {
                    found.add(MetadataKind.OTHER);
                }
                if (keep) {
                    out.write(gif, start, end - start);
                }
                pos = end;
            } else {
                throw new IOException("bad block 0x" + Integer.toHexString(block) + " at byte " + start);
            }
        }
        if (!image) {
            throw new IOException("no image");
        }
        out.write(TRAILER);
        return new MetadataScan(out.toByteArray(), found, 1);
    }

    private static int colourTableSize(byte flags) {
        return (flags & 0x80) != 0 ? 3 * (1 << ((flags & 0x07) + 1)) : 0;
    }

    /** @return the position after the terminating empty sub-block */
    private static int skipSubBlocks(byte[] gif, int pos) throws IOException {
        while (true) {
            need(gif, pos, 1);
            int size = gif[pos] & 0xFF;
            pos++;
            if (size == 0) {
                return pos;
            }
            need(gif, pos, size);
            pos += size;
        }
    }

    private static void need(byte[] gif, int pos, int count) throws IOException {
        if (pos < 0 || gif.length - pos < count) {
            throw new IOException("truncated at byte " + pos);
        }
    }
}
