package dev.sealpost.media;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The few EXIF facts sealpost needs, read from a TIFF structure (TIFF 6.0 section 2; CIPA DC-008
 * Exif 2.32 section 4.6): the orientation and which kinds of metadata are present. Also writes the
 * minimal EXIF that carries nothing but the orientation. Never throws on malformed input: a broken
 * EXIF block is reported as {@link MetadataKind#EXIF} with orientation 1, and is dropped anyway.
 */
final class Exif {
    /** TIFF/EXIF Orientation tag; value 1 (top-left) to 8. */
    static final int ORIENTATION = 0x0112;
    private static final int EXIF_IFD = 0x8769;
    private static final int GPS_IFD = 0x8825;
    private static final int MAX_ENTRIES = 1000;
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};

    private static final Set<Integer> CAMERA_TAGS = Set.of(0x010F, 0x0110, 0xA431, 0xA433, 0xA434, 0xA435);
    private static final Set<Integer> AUTHOR_TAGS = Set.of(0x013B, 0x8298, 0xA430, 0x9C9D);
    private static final Set<Integer> DATE_TAGS = Set.of(0x0132, 0x9003, 0x9004);
    private static final Set<Integer> COMMENT_TAGS = Set.of(0x010E, 0x9286, 0x9C9C);
    private static final int XMP_TAG = 700;
    private static final Set<Integer> IPTC_TAGS = Set.of(33723, 34377);

    private Exif() {}

    /**
     * @param orientation 1..8, as in the EXIF Orientation tag
     * @param kinds       the kinds of metadata present besides the orientation
     * @param order       the byte order of the TIFF structure read
     */
    record Info(int orientation, Set<MetadataKind> kinds, ByteOrder order) {
        static final Info NONE = new Info(1, Set.of(), ByteOrder.BIG_ENDIAN);
    }

    /**
     * Reads an EXIF block (a JPEG APP1 payload, a PNG eXIf or WebP EXIF chunk): a TIFF structure,
     * with or without a leading {@code "Exif\0\0"}. Any tag besides the orientation counts as
     * {@link MetadataKind#EXIF}; a second IFD (IFD1) is a thumbnail.
     */
    static Info readBlock(byte[] data, int offset, int length) {
        if (length >= 6 && Arrays.equals(data, offset, offset + 6, EXIF_HEADER, 0, 6)) {
            offset += 6;
            length -= 6;
        }
        return read(ByteBuffer.wrap(data, offset, length).slice(), false);
    }

    /**
     * Reads the first IFD of a TIFF file, where only tags that hold metadata count (not the ones
     * that describe the pixels).
     */
    static Info readTiffFile(byte[] tiff) {
        return read(ByteBuffer.wrap(tiff), true);
    }

    private static Info read(ByteBuffer b, boolean tiffFile) {
        EnumSet<MetadataKind> kinds = EnumSet.noneOf(MetadataKind.class);
        if (b.remaining() < 8) {
            kinds.add(MetadataKind.EXIF);
            return new Info(1, kinds, ByteOrder.BIG_ENDIAN);
        }
        if (b.get(0) == 'I' && b.get(1) == 'I') {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (!(b.get(0) == 'M' && b.get(1) == 'M')) {
            kinds.add(MetadataKind.EXIF);
            return new Info(1, kinds, ByteOrder.BIG_ENDIAN);
        }
        int orientation = 1;
        Ifd ifd0 = Ifd.read(b, b.getInt(4));
        boolean otherTags = ifd0.broken;
        for (int i = 0; i < ifd0.count; i++) {
            int tag = ifd0.tag(b, i);
            if (tag == ORIENTATION) {
                int value = ifd0.shortValue(b, i);
                orientation = value >= 1 && value <= 8 ? value : 1;
                continue;
            }
            otherTags = true;
            classify(tag, kinds);
            if (tag == EXIF_IFD) {
                kinds.add(MetadataKind.EXIF);
                Ifd exif = Ifd.read(b, ifd0.longValue(b, i));
                for (int j = 0; j < exif.count; j++) {
                    classify(exif.tag(b, j), kinds);
                }
            }
        }
        if (!tiffFile) {
            if (otherTags) {
                kinds.add(MetadataKind.EXIF);
            }
            if (ifd0.next != 0) {
                kinds.add(MetadataKind.THUMBNAIL);
            }
        }
        return new Info(orientation, kinds, b.order());
    }

    private static void classify(int tag, Set<MetadataKind> kinds) {
        if (tag == GPS_IFD) {
            kinds.add(MetadataKind.GPS);
        } else if (CAMERA_TAGS.contains(tag)) {
            kinds.add(MetadataKind.CAMERA);
        } else if (AUTHOR_TAGS.contains(tag)) {
            kinds.add(MetadataKind.AUTHOR);
        } else if (DATE_TAGS.contains(tag)) {
            kinds.add(MetadataKind.DATE);
        } else if (COMMENT_TAGS.contains(tag)) {
            kinds.add(MetadataKind.COMMENT);
        } else if (tag == XMP_TAG) {
            kinds.add(MetadataKind.XMP);
        } else if (IPTC_TAGS.contains(tag)) {
            kinds.add(MetadataKind.IPTC);
        }
    }

    /** An IFD's entries that lie within the data; {@code broken} if some did not. */
    private record Ifd(int offset, int count, long next, boolean broken) {
        static Ifd read(ByteBuffer b, long offset) {
            if (offset < 8 || offset > b.limit() - 2) {
                return new Ifd(0, 0, 0, offset != 0);
            }
            int at = (int) offset;
            int declared = b.getShort(at) & 0xFFFF;
            int fits = Math.min(Math.min(declared, MAX_ENTRIES), (b.limit() - at - 2) / 12);
            int nextAt = at + 2 + 12 * declared;
            long next = fits == declared && nextAt <= b.limit() - 4 ? b.getInt(nextAt) & 0xFFFFFFFFL : 0;
            return new Ifd(at, fits, next, fits < declared);
        }

        int tag(ByteBuffer b, int i) {
            return b.getShort(offset + 2 + 12 * i) & 0xFFFF;
        }

        /** @return a SHORT value stored in the entry itself (type 3, count 1), or 0 */
        int shortValue(ByteBuffer b, int i) {
            int entry = offset + 2 + 12 * i;
            return b.getShort(entry + 2) == 3 && b.getInt(entry + 4) == 1 ? b.getShort(entry + 8) & 0xFFFF : 0;
        }

        /** @return a LONG value stored in the entry itself, such as an IFD pointer */
        long longValue(ByteBuffer b, int i) {
            return b.getInt(offset + 2 + 12 * i + 8) & 0xFFFFFFFFL;
        }
    }

    /**
     * The smallest valid EXIF: a TIFF header and an IFD0 with one entry, Orientation (SHORT, count 1),
     * and no next IFD. 26 bytes.
     *
     * @param orientation 1..8
     * @param order       byte order to write, as in the original
     * @return the TIFF structure (without {@code "Exif\0\0"})
     */
    static byte[] minimal(int orientation, ByteOrder order) {
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("orientation " + orientation);
        }
        ByteBuffer b = ByteBuffer.allocate(26).order(order);
        b.put(order == ByteOrder.LITTLE_ENDIAN ? "II".getBytes(StandardCharsets.US_ASCII)
                : "MM".getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) ORIENTATION).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    /** @return {@link #minimal} with the {@code "Exif\0\0"} header that a JPEG APP1 segment carries */
    static byte[] minimalApp1Payload(int orientation, ByteOrder order) {
        byte[] tiff = minimal(orientation, order);
        byte[] out = new byte[6 + tiff.length];
        System.arraycopy(EXIF_HEADER, 0, out, 0, 6);
        System.arraycopy(tiff, 0, out, 6, tiff.length);
        return out;
    }
}
