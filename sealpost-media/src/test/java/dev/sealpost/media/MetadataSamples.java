package dev.sealpost.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Real files carrying real metadata, built by hand for tests: EXIF as a TIFF structure (TIFF 6.0,
 * CIPA DC-008 Exif 2.32) with IFD0, an Exif IFD and a GPS IFD, and the JPEG segments, PNG chunks,
 * GIF extensions and WebP chunks that carry metadata.
 */
final class MetadataSamples {
    static final String MAKE = "SealCam";
    static final String MODEL = "Model X-100";
    static final String SERIAL = "SN-4711-0815-SECRET";
    static final String ARTIST = "Jane Q. Photographer";
    static final String COMMENT = "secret comment: the safe house";
    static final String XMP = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><exif:GPSLatitude>52,31N"
            + "</exif:GPSLatitude><dc:creator>" + ARTIST + "</dc:creator></rdf:RDF></x:xmpmeta>";
    static final String IPTC_CAPTION = "IPTC caption: meeting at noon";

    private MetadataSamples() {}

    /** One IFD entry; {@code value} holds {@code count} items of {@code type} in the file's byte order. */
    record Entry(int tag, int type, int count, byte[] value) {}

    /**
     * A camera-like EXIF block: IFD0 with Make, Model, Orientation, Artist and pointers to an Exif
     * IFD (BodySerialNumber, DateTimeOriginal) and a GPS IFD (latitude and longitude as rationals).
     *
     * @return the TIFF structure, without {@code "Exif\0\0"}
     */
    static byte[] cameraExif(ByteOrder order, int orientation) {
        List<Entry> ifd0 = List.of(ascii(order, 0x010F, MAKE), ascii(order, 0x0110, MODEL),
                shortEntry(order, 0x0112, orientation), ascii(order, 0x013B, ARTIST));
        List<Entry> exif = List.of(ascii(order, 0xA431, SERIAL), ascii(order, 0x9003, "2026:11:22 05:39:50"));
        List<Entry> gps = List.of(ascii(order, 0x0001, "N"), rationals(order, 0x0002, 52, 1, 31, 1, 1234, 100),
                ascii(order, 0x0003, "E"), rationals(order, 0x0004, 13, 1, 24, 1, 5678, 100));
        return tiff(order, ifd0, exif, gps);
    }

    /** @return a TIFF structure with IFD0 and, where not empty, an Exif IFD (0x8769) and GPS IFD (0x8825) */
    static byte[] tiff(ByteOrder order, List<Entry> ifd0, List<Entry> exif, List<Entry> gps) {
        List<Entry> first = new ArrayList<>(ifd0);
        int ifd0At = 8;
        int exifAt = ifd0At + ifdSize(ifd0.size() + (exif.isEmpty() ? 0 : 1) + (gps.isEmpty() ? 0 : 1));
        int gpsAt = exifAt + (exif.isEmpty() ? 0 : ifdSize(exif.size()));
        int dataAt = gpsAt + (gps.isEmpty() ? 0 : ifdSize(gps.size()));
        if (!exif.isEmpty()) {
            first.add(longEntry(order, 0x8769, exifAt));
        }
        if (!gps.isEmpty()) {
            first.add(longEntry(order, 0x8825, gpsAt));
        }
        ByteBuffer b = ByteBuffer.allocate(65_536).order(order);
        b.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M')).put(b.get(0)).putShort((short) 42).putInt(ifd0At);
        int[] data = {dataAt};
        writeIfd(b, ifd0At, first, data);
        if (!exif.isEmpty()) {
            writeIfd(b, exifAt, exif, data);
        }
        if (!gps.isEmpty()) {
            writeIfd(b, gpsAt, gps, data);
        }
        return Arrays.copyOf(b.array(), data[0]);
    }

    private static int ifdSize(int entries) {
        return 2 + 12 * entries + 4;
    }

    private static void writeIfd(ByteBuffer b, int at, List<Entry> entries, int[] data) {
        List<Entry> sorted = entries.stream().sorted(Comparator.comparingInt(Entry::tag)).toList();
        b.position(at);
        b.putShort((short) sorted.size());
        for (Entry e : sorted) {
            b.putShort((short) e.tag()).putShort((short) e.type()).putInt(e.count());
            if (e.value().length <= 4) {
                b.put(Arrays.copyOf(e.value(), 4));
            } else {
                b.putInt(data[0]);
                int here = b.position();
                b.position(data[0]).put(e.value());
                data[0] = b.position() + (b.position() & 1);
                b.position(here);
            }
        }
        b.putInt(0);
    }

    static Entry ascii(ByteOrder order, int tag, String s) {
        byte[] v = (s + "\0").getBytes(StandardCharsets.US_ASCII);
        return new Entry(tag, 2, v.length, v);
    }

    static Entry shortEntry(ByteOrder order, int tag, int value) {
        return new Entry(tag, 3, 1, ByteBuffer.allocate(2).order(order).putShort((short) value).array());
    }

    static Entry longEntry(ByteOrder order, int tag, int value) {
        return new Entry(tag, 4, 1, ByteBuffer.allocate(4).order(order).putInt(value).array());
    }

    /** @param fractions numerator, denominator, numerator, ... */
    static Entry rationals(ByteOrder order, int tag, int... fractions) {
        ByteBuffer b = ByteBuffer.allocate(4 * fractions.length).order(order);
        for (int f : fractions) {
            b.putInt(f);
        }
        return new Entry(tag, 5, fractions.length / 2, b.array());
    }

    /** @return a JPEG marker segment: 0xFF, marker, length, payload */
    static byte[] segment(int marker, byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).put((byte) 0xFF).put((byte) marker)
                .putShort((short) (payload.length + 2)).put(payload).array();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return {@code jpeg} (from ImageIO, starting SOI, APP0 JFIF) with {@code segments} after APP0 */
    static byte[] withSegmentsAfterApp0(byte[] jpeg, byte[]... segments) {
        int app0End = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, app0End);
        for (byte[] s : segments) {
            out.writeBytes(s);
        }
        out.write(jpeg, app0End, jpeg.length - app0End);
        return out.toByteArray();
    }

    /** @return the APP1 segment holding {@code tiff} as EXIF */
    static byte[] exifApp1(byte[] tiff) {
        return segment(0xE1, TestImages.concat(bytes("Exif\0\0"), tiff));
    }

    /** @return the APP1 segment holding {@link #XMP} */
    static byte[] xmpApp1() {
        return segment(0xE1, bytes("http://ns.adobe.com/xap/1.0/\0" + XMP));
    }

    /** @return an APP13 Photoshop segment with one IPTC resource holding a caption (IIM 2:120) */
    static byte[] iptcApp13() {
        byte[] caption = bytes(IPTC_CAPTION);
        byte[] iim = ByteBuffer.allocate(5 + caption.length).put((byte) 0x1C).put((byte) 2).put((byte) 120)
                .putShort((short) caption.length).put(caption).array();
        ByteBuffer resource = ByteBuffer.allocate(12 + iim.length + (iim.length & 1));
        resource.put(bytes("8BIM")).putShort((short) 0x0404).putShort((short) 0).putInt(iim.length).put(iim);
        return segment(0xED, TestImages.concat(bytes("Photoshop 3.0\0"), resource.array()));
    }

    /** @return an APP2 ICC_PROFILE segment holding the whole sRGB profile (one chunk of one) */
    static byte[] iccApp2() {
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        return segment(0xE2, TestImages.concat(bytes("ICC_PROFILE\0"), new byte[] {1, 1}, profile));
    }

    /**
     * A 64x32 picture: a red block in the top-left corner, green in the top-right, blue elsewhere,
     * so that where red lands after turning shows the orientation applied.
     */
    static BufferedImage cornerImage() {
        BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.BLUE);
            g.fillRect(0, 0, 64, 32);
            g.setColor(Color.RED);
            g.fillRect(0, 0, 16, 16);
            g.setColor(Color.GREEN);
            g.fillRect(48, 0, 16, 16);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** @return true if {@code haystack} contains {@code needle} (ISO-8859-1 bytes) */
    static boolean contains(byte[] haystack, String needle) {
        return indexOf(haystack, bytes(needle), 0) >= 0;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the bytes from the first SOS marker to the end: scan headers and entropy-coded data */
    static byte[] fromFirstScan(byte[] jpeg) {
        int pos = 2;
        while ((jpeg[pos + 1] & 0xFF) != 0xDA) {
            pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
        }
        return Arrays.copyOfRange(jpeg, pos, jpeg.length);
    }

    /** @return the markers of the segments before the first SOS, in file order, e.g. [0xE0, 0xDB, ...] */
    static List<Integer> markersBeforeScan(byte[] jpeg) {
        List<Integer> markers = new ArrayList<>();
        int pos = 2;
        while ((jpeg[pos + 1] & 0xFF) != 0xDA) {
            markers.add(jpeg[pos + 1] & 0xFF);
            pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
        }
        return markers;
    }

    /** @return true if {@code c} is within 40 of ({@code r}, {@code g}, {@code b}) in every channel */
    static boolean near(int rgb, int r, int g, int b) {
        return Math.abs((rgb >> 16 & 0xFF) - r) < 40 && Math.abs((rgb >> 8 & 0xFF) - g) < 40
                && Math.abs((rgb & 0xFF) - b) < 40;
    }
}
