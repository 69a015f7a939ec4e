package dev.sealpost.media;

import java.io.IOException;

/**
 * The marker structure of a JPEG file (ITU T.81), walked without decoding: SOI, segments whose
 * lengths fit in the file, entropy-coded data after each SOS, and an EOI at the end. A truncated
 * JPEG fails here, whereas ImageIO's decoder only warns and fills the missing rows with grey.
 * Also the place where segment-level metadata handling (APPn stripping) belongs.
 */
final class JpegSegments {
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;

    private JpegSegments() {}

    /**
     * @param jpeg a whole JPEG file
     * @throws IOException if it is truncated or its marker structure is broken
     */
    static void check(byte[] jpeg) throws IOException {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != SOI) {
            throw new IOException("no SOI marker");
        }
        int pos = 2;
        boolean scan = false;
        while (true) {
            // Like libjpeg, tolerate stray bytes before a marker; then skip 0xFF fill bytes.
            while (pos < jpeg.length && (jpeg[pos] & 0xFF) != 0xFF) {
                pos++;
            }
            while (pos < jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
                pos++;
            }
            if (pos >= jpeg.length) {
                throw new IOException("truncated: no EOI marker");
            }
            int marker = jpeg[pos++] & 0xFF;
            if (marker == EOI) {
                if (!scan) {
                    throw new IOException("EOI before any scan");
                }
                return;
            }
            if (marker == SOI || marker == TEM || isRst(marker) || marker == 0x00) {
                continue;
            }
            if (jpeg.length - pos < 2) {
                throw new IOException("truncated in a marker segment");
            }
            int length = (jpeg[pos] & 0xFF) << 8 | (jpeg[pos + 1] & 0xFF);
            if (length < 2) {
                throw new IOException("bad segment length at byte " + pos);
            }
            if (jpeg.length - pos < length) {
                throw new IOException("truncated in a marker segment");
            }
            pos += length;
            if (marker == SOS) {
                scan = true;
                pos = endOfEntropyCodedData(jpeg, pos);
            }
        }
    }

    /** @return the position of the 0xFF that starts the marker after entropy-coded data */
    private static int endOfEntropyCodedData(byte[] jpeg, int pos) throws IOException {
        while (pos < jpeg.length - 1) {
            if ((jpeg[pos] & 0xFF) == 0xFF) {
                int next = jpeg[pos + 1] & 0xFF;
                if (next == 0x00 || isRst(next)) {
                    pos += 2;
                    continue;
                }
                if (next != 0xFF) {
                    return pos;
                }
            }
            pos++;
        }
        throw new IOException("truncated in entropy-coded data");
    }

    private static boolean isRst(int marker) {
        return marker >= 0xD0 && marker <= 0xD7;
    }
}
