package dev.sealpost.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * The marker structure of a JPEG file (ITU T.81), walked without decoding: SOI, segments whose
 * lengths fit in the file, entropy-coded data after each SOS, and an EOI at the end. A truncated
 * JPEG fails here, whereas ImageIO's decoder only warns and fills the missing rows with grey.
 *
 * <p>{@link #strip} removes metadata at segment level (ISO/IEC 10918-1 Annex B markers; JFIF 1.02;
 * CIPA DC-008 Exif 2.32 section 4.5.4; Adobe XMP part 3; Adobe technical note 5116 for APP14),
 * copying every other segment and the entropy-coded data byte for byte.
 */
final class JpegSegments {
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;
    private static final int APP2 = 0xE2;
    private static final int APP13 = 0xED;
    private static final int APP14 = 0xEE;
    private static final int APP15 = 0xEF;
    private static final int COM = 0xFE;
    /** JFIF APP0 payload without thumbnail: identifier, version, units, densities, thumbnail size. */
    private static final int JFIF_LENGTH = 14;

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

    /**
     * Removes metadata, keeping the pixels exactly: drops APP1 (Exif, XMP), APP13 (IPTC), COM, APP2
     * other than ICC_PROFILE (such as MPF), every other APPn except APP0 JFIF and APP14 Adobe, and
     * bytes after EOI; removes the thumbnail from a JFIF APP0. If the EXIF orientation is not 1, a
     * minimal EXIF APP1 holding only that tag is written after SOI (after APP0 JFIF, if first).
     *
     * @param jpeg a whole JPEG file that passed {@link #check}
     * @return the stripped file and what was found
     * @throws IOException if the marker structure is broken
     */
    static MetadataScan strip(byte[] jpeg) throws IOException {
        check(jpeg);
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(0xFF);
        out.write(SOI);
        EnumSet<MetadataKind> found = MetadataScan.kinds();
        Exif.Info exif = null;
        int insertAt = 2;
        int pos = 2;
        boolean first = true;
        while (true) {
            while ((jpeg[pos] & 0xFF) != 0xFF) {
                pos++;
            }
            while ((jpeg[pos] & 0xFF) == 0xFF) {
                pos++;
            }
            int marker = jpeg[pos++] & 0xFF;
            if (marker == EOI) {
                out.write(0xFF);
                out.write(EOI);
                if (MetadataScan.hasContent(jpeg, pos)) {
                    found.add(MetadataKind.OTHER);
                }
                break;
            }
            if (marker == SOI || marker == TEM || isRst(marker) || marker == 0x00) {
                out.write(0xFF);
                out.write(marker);
                continue;
            }
            int length = (jpeg[pos] & 0xFF) << 8 | (jpeg[pos + 1] & 0xFF);
            int payload = pos + 2;
            int payloadLength = length - 2;
            boolean keep = true;
            if (marker == APP0) {
                keep = false;
                if (startsWith(jpeg, payload, payloadLength, "JFIF\0") && payloadLength >= JFIF_LENGTH) {
                    if ((jpeg[payload + 12] & 0xFF) * (jpeg[payload + 13] & 0xFF) > 0) {
                        found.add(MetadataKind.THUMBNAIL);
                    }
                    out.write(0xFF);
                    out.write(APP0);
                    out.write(0);
                    out.write(JFIF_LENGTH + 2);
                    out.write(jpeg, payload, JFIF_LENGTH - 2);
                    out.write(0);
                    out.write(0);
                    if (first) {
                        insertAt = out.size();
                    }
                } else {
                    found.add(startsWith(jpeg, payload, payloadLength, "JFXX\0") ? MetadataKind.THUMBNAIL
                            : MetadataKind.OTHER);
                }
            } else if (marker == APP1) {
                keep = false;
                if (startsWith(jpeg, payload, payloadLength, "Exif\0")) {
                    Exif.Info info = Exif.readBlock(jpeg, payload, payloadLength);
                    exif = exif == null ? info : exif;
                    found.addAll(info.kinds());
                } else if (startsWith(jpeg, payload, payloadLength, "http://ns.adobe.com/")) {
                    found.add(MetadataKind.XMP);
                    if (contains(jpeg, payload, payloadLength, "GPS")) {
                        found.add(MetadataKind.GPS);
                    }
                } else {
                    found.add(MetadataKind.OTHER);
                }
            } else if (marker == APP2) {
                keep = startsWith(jpeg, payload, payloadLength, "ICC_PROFILE\0");
                if (!keep) {
                    found.add(startsWith(jpeg, payload, payloadLength, "MPF\0") ? MetadataKind.THUMBNAIL
                            : MetadataKind.OTHER);
                }
            } else if (marker == APP13) {
                keep = false;
                found.add(MetadataKind.IPTC);
            } else if (marker == APP14) {
                keep = startsWith(jpeg, payload, payloadLength, "Adobe");
                if (!keep) {
                    found.add(MetadataKind.OTHER);
                }
            } else if (marker > APP2 && marker <= APP15) {
                keep = false;
                found.add(MetadataKind.OTHER);
            } else if (marker == COM) {
                keep = false;
                found.add(MetadataKind.COMMENT);
            }
            if (keep) {
                out.write(jpeg, pos - 2, length + 2);
            }
            first = false;
            pos += length;
            if (marker == SOS) {
                int end = endOfEntropyCodedData(jpeg, pos);
                out.write(jpeg, pos, end - pos);
                pos = end;
            }
        }
        byte[] stripped = out.toByteArray();
        int orientation = exif == null ? 1 : exif.orientation();
        if (orientation != 1) {
            byte[] payload = Exif.minimalApp1Payload(orientation, exif.order());
            byte[] segment = new byte[4 + payload.length];
            segment[0] = (byte) 0xFF;
            segment[1] = (byte) APP1;
            segment[2] = (byte) ((payload.length + 2) >> 8);
            segment[3] = (byte) (payload.length + 2);
            System.arraycopy(payload, 0, segment, 4, payload.length);
            stripped = splice(stripped, insertAt, segment);
        }
        return new MetadataScan(stripped, found, orientation);
    }

    private static byte[] splice(byte[] data, int at, byte[] insert) {
        byte[] out = Arrays.copyOf(data, data.length + insert.length);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(data, at, out, at + insert.length, data.length - at);
        return out;
    }

    private static boolean startsWith(byte[] data, int at, int length, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
        return length >= p.length && Arrays.equals(data, at, at + p.length, p, 0, p.length);
    }

    private static boolean contains(byte[] data, int at, int length, String text) {
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = at; i + t.length <= at + length; i++) {
            if (Arrays.equals(data, i, i + t.length, t, 0, t.length)) {
                return true;
            }
        }
        return false;
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
