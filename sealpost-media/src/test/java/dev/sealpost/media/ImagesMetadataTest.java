package dev.sealpost.media;

import static dev.sealpost.media.MetadataSamples.ARTIST;
import static dev.sealpost.media.MetadataSamples.COMMENT;
import static dev.sealpost.media.MetadataSamples.IPTC_CAPTION;
import static dev.sealpost.media.MetadataSamples.MAKE;
import static dev.sealpost.media.MetadataSamples.MODEL;
import static dev.sealpost.media.MetadataSamples.SERIAL;
import static dev.sealpost.media.MetadataSamples.XMP;
import static dev.sealpost.media.MetadataSamples.bytes;
import static dev.sealpost.media.MetadataSamples.contains;
import static dev.sealpost.media.MetadataSamples.near;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Metadata through {@link Images#prepare}: stripped by default, orientation kept or applied, kept on request. */
class ImagesMetadataTest {
    private static final Set<MetadataKind> CAMERA_JPEG_KINDS = EnumSet.of(MetadataKind.GPS, MetadataKind.CAMERA,
            MetadataKind.AUTHOR, MetadataKind.DATE, MetadataKind.COMMENT, MetadataKind.EXIF, MetadataKind.XMP,
            MetadataKind.IPTC);

    /** A JPEG of {@link MetadataSamples#cornerImage} with EXIF (GPS, camera, artist), XMP, IPTC, COM and ICC. */
    static byte[] cameraJpeg(ByteOrder order, int orientation) throws IOException {
        byte[] plain = JpegEncoder.encode(MetadataSamples.cornerImage(), 92);
        return MetadataSamples.withSegmentsAfterApp0(plain,
                MetadataSamples.exifApp1(MetadataSamples.cameraExif(order, orientation)),
                MetadataSamples.xmpApp1(), MetadataSamples.iccApp2(), MetadataSamples.iptcApp13(),
                MetadataSamples.segment(0xFE, bytes(COMMENT)));
    }

    @Test
    void prepare_jpegWithGps_stripsGpsKeepsOrientation() throws Exception {
        byte[] input = cameraJpeg(ByteOrder.LITTLE_ENDIAN, 6);

        PreparedImage out = Images.prepare("camera.jpg", input, Compression.lossless());

        byte[] b = out.bytes();
        for (String secret : List.of("GPS", MAKE, MODEL, SERIAL, ARTIST, COMMENT, IPTC_CAPTION, "8BIM",
                "Photoshop", "http://ns.adobe.com", "xmpmeta", "2026:11:22")) {
            assertFalse(contains(b, secret), secret);
        }
        byte[] minimal = MetadataSamples.exifApp1(Exif.minimal(6, ByteOrder.LITTLE_ENDIAN));
        assertEquals(36, minimal.length);
        int exif = MetadataSamples.indexOf(b, minimal, 0);
        assertTrue(exif > 0, "minimal EXIF with Orientation 6");
        assertEquals(-1, MetadataSamples.indexOf(b, bytes("Exif"), exif + 5), "a second Exif block");
        assertEquals(List.of(0xE0, 0xE1, 0xE2, 0xDB), MetadataSamples.markersBeforeScan(b).subList(0, 4));
        assertTrue(contains(b, "ICC_PROFILE\0"), "ICC profile kept");
        assertArrayEquals(MetadataSamples.fromFirstScan(input), MetadataSamples.fromFirstScan(b),
                "entropy-coded data byte-identical");
        assertEquals(CAMERA_JPEG_KINDS, out.removed());
        assertFalse(out.metadataKept());
        assertEquals(64, out.width());
        assertEquals(32, out.height());
        assertEquals(b.length, out.size());
        assertEquals(input.length, out.originalSize());
        TestImages.assertSamePixels(TestImages.read(input), TestImages.read(b));
    }

    @Test
    void prepare_jpegOrientation8BigEndian_keepsBigEndianOrientationOnly() throws Exception {
        byte[] input = cameraJpeg(ByteOrder.BIG_ENDIAN, 8);

        byte[] b = Images.prepare("camera.jpg", input, Compression.lossless()).bytes();

        assertTrue(MetadataSamples.indexOf(b, MetadataSamples.exifApp1(Exif.minimal(8, ByteOrder.BIG_ENDIAN)), 0) > 0);
        assertFalse(contains(b, SERIAL) || contains(b, "GPS") || contains(b, ARTIST));
        assertArrayEquals(MetadataSamples.fromFirstScan(input), MetadataSamples.fromFirstScan(b));
    }

    @Test
    void prepare_jpegOrientation1_noExifLeft() throws Exception {
        byte[] b = Images.prepare("camera.jpg", cameraJpeg(ByteOrder.LITTLE_ENDIAN, 1), Compression.lossless()).bytes();

        assertFalse(contains(b, "Exif"));
        assertFalse(MetadataSamples.markersBeforeScan(b).contains(0xE1));
    }

    @Test
    void prepare_jpegQualityOrientation6_rotatesPixelsClockwise() throws Exception {
        PreparedImage out = Images.prepare("camera.jpg", cameraJpeg(ByteOrder.LITTLE_ENDIAN, 6), Compression.jpeg(90));

        BufferedImage image = TestImages.read(out.bytes());
        assertEquals(32, out.width());
        assertEquals(64, out.height());
        assertEquals(32, image.getWidth());
        assertEquals(64, image.getHeight());
        // Stored top-left (red) is displayed top-right; stored top-right (green) bottom-right.
        assertTrue(near(image.getRGB(31 - 8, 8), 255, 0, 0), Integer.toHexString(image.getRGB(23, 8)));
        assertTrue(near(image.getRGB(31 - 8, 63 - 8), 0, 255, 0));
        assertTrue(near(image.getRGB(4, 4), 0, 0, 255));
        assertFalse(contains(out.bytes(), "Exif"));
        assertFalse(contains(out.bytes(), SERIAL));
        assertEquals(CAMERA_JPEG_KINDS, out.removed());
    }

    @Test
    void prepare_jpegQualityOrientation8_rotatesPixelsAnticlockwise() throws Exception {
        PreparedImage out = Images.prepare("camera.jpg", cameraJpeg(ByteOrder.BIG_ENDIAN, 8), Compression.jpeg(90));

        BufferedImage image = TestImages.read(out.bytes());
        assertEquals(32, image.getWidth());
        assertEquals(64, image.getHeight());
        // Stored top-left (red) is displayed bottom-left; stored top-right (green) top-left.
        assertTrue(near(image.getRGB(8, 63 - 8), 255, 0, 0));
        assertTrue(near(image.getRGB(8, 8), 0, 255, 0));
        assertFalse(contains(out.bytes(), "Exif"));
    }

    @Test
    void prepare_noneJpegWithMetadata_keepsEverythingAndFlagsIt() throws Exception {
        byte[] input = cameraJpeg(ByteOrder.LITTLE_ENDIAN, 6);

        PreparedImage out = Images.prepare("camera.jpg", input, Compression.none());

        assertArrayEquals(input, out.bytes());
        assertTrue(out.metadataKept());
        assertEquals(CAMERA_JPEG_KINDS, out.metadata());
        assertEquals(Set.of(), out.removed());
    }

    @Test
    void prepare_keepMetadataLossless_keepsJpegBytes() throws Exception {
        byte[] input = cameraJpeg(ByteOrder.LITTLE_ENDIAN, 6);
        MediaOptions options = MediaOptions.defaults(Compression.lossless()).withKeepMetadata(true);

        PreparedImage out = Images.prepare("camera.jpg", input, options);

        assertArrayEquals(input, out.bytes());
        assertTrue(out.metadataKept());
        assertTrue(out.metadata().contains(MetadataKind.GPS));
    }

    @Test
    void prepare_keepMetadataJpegQuality_reencodedWithoutMetadataButSaysSo() throws Exception {
        MediaOptions options = new MediaOptions(Compression.jpeg(80), true, Images.DEFAULT_MAX_PIXELS, 0);

        PreparedImage out = Images.prepare("camera.jpg", cameraJpeg(ByteOrder.LITTLE_ENDIAN, 6), options);

        assertFalse(out.metadataKept());
        assertEquals(CAMERA_JPEG_KINDS, out.removed());
        assertEquals(32, out.width());
    }

    @Test
    void prepare_plainJpeg_reportsNothingRemoved() throws Exception {
        byte[] input = SampleImages.jpeg(64, 48, 85);

        PreparedImage out = Images.prepare("p.jpg", input, Compression.lossless());

        assertArrayEquals(input, out.bytes());
        assertEquals(Set.of(), out.metadata());
        assertFalse(out.metadataKept());
    }

    /** SampleImages' PNG (deflate level 4, so re-encoding pays) with text, XMP, eXIf, tIME and a private chunk. */
    static byte[] taggedPng(byte[] png, int orientation) {
        return TestImages.withChunksAfterHeader(png,
                TestImages.chunk("tEXt", bytes("Author\0" + ARTIST)),
                TestImages.chunk("tEXt", bytes("Comment\0" + COMMENT)),
                TestImages.chunk("iTXt", bytes("XML:com.adobe.xmp\0\0\0\0\0" + XMP)),
                TestImages.chunk("eXIf", MetadataSamples.cameraExif(ByteOrder.BIG_ENDIAN, orientation)),
                TestImages.chunk("tIME", new byte[] {0x07, (byte) 0xEA, 11, 22, 5, 39, 50}),
                TestImages.chunk("prVt", bytes("private data")));
    }

    private static void assertNoPngMetadata(byte[] png) {
        List<String> types = TestImages.chunkTypes(png);
        for (String type : List.of("tEXt", "zTXt", "iTXt", "tIME", "prVt")) {
            assertFalse(types.contains(type), type);
        }
        for (String secret : List.of(ARTIST, COMMENT, SERIAL, MAKE, "xmpmeta")) {
            assertFalse(contains(png, secret), secret);
        }
    }

    @Test
    void prepare_pngWithTextAndExifReencoded_stripsChunksAndAppliesOrientation() throws Exception {
        byte[] original = SampleImages.png(120, 80);
        byte[] input = taggedPng(original, 6);

        PreparedImage out = Images.prepare("tagged.png", input, Compression.lossless());

        assertNoPngMetadata(out.bytes());
        assertFalse(TestImages.chunkTypes(out.bytes()).contains("eXIf"), "orientation applied, no eXIf");
        assertEquals(80, out.width());
        assertEquals(120, out.height());
        assertSameRgb(Orientation.apply(TestImages.read(original), 6), TestImages.read(out.bytes()));
        assertEquals(EnumSet.of(MetadataKind.GPS, MetadataKind.CAMERA, MetadataKind.AUTHOR, MetadataKind.DATE,
                MetadataKind.COMMENT, MetadataKind.EXIF, MetadataKind.XMP, MetadataKind.OTHER), out.removed());
    }

    @Test
    void prepare_animatedPngWithText_keptOriginalStrippedWithValidCrcs() throws Exception {
        byte[] actl = TestImages.chunk("acTL", new byte[] {0, 0, 0, 1, 0, 0, 0, 0});
        byte[] original = TestImages.withChunksAfterHeader(SampleImages.png(40, 30), actl);
        byte[] input = taggedPng(original, 1);

        PreparedImage out = Images.prepare("anim.png", input, Compression.lossless());

        assertArrayEquals(original, out.bytes(), "exactly the chunks without metadata");
        assertTrue(PngChunks.parse(out.bytes()).chunks().stream().allMatch(PngChunks.Chunk::crcOk));
        assertTrue(out.removed().contains(MetadataKind.GPS));
    }

    @Test
    void prepare_pngNotSmallerWhenReencoded_keptOriginalStripped() throws Exception {
        BufferedImage noise = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        byte[] original = TestImages.png(noise, 0f, false);
        byte[] input = taggedPng(original, 3);

        PreparedImage out = Images.prepare("noise.png", input, Compression.lossless());

        assertNoPngMetadata(out.bytes());
        assertTrue(PngChunks.parse(out.bytes()).chunks().stream().allMatch(PngChunks.Chunk::crcOk));
        if (TestImages.chunkTypes(out.bytes()).contains("eXIf")) {
            // The original was kept: its pixels, with a minimal eXIf holding Orientation 3.
            assertTrue(MetadataSamples.indexOf(out.bytes(), Exif.minimal(3, ByteOrder.BIG_ENDIAN), 0) > 0);
            assertSameRgb(noise, TestImages.read(out.bytes()));
        } else {
            assertSameRgb(Orientation.apply(noise, 3), TestImages.read(out.bytes()));
        }
    }

    @Test
    void prepare_nonePng_keepsTextChunksAndFlagsThem() throws Exception {
        byte[] input = taggedPng(SampleImages.png(40, 30), 1);

        PreparedImage out = Images.prepare("t.png", input, Compression.none());

        assertArrayEquals(input, out.bytes());
        assertTrue(out.metadataKept());
        assertTrue(out.metadata().containsAll(EnumSet.of(MetadataKind.GPS, MetadataKind.AUTHOR, MetadataKind.XMP)));
    }

    /** Same dimensions and ARGB values; the re-encoder may choose another pixel layout (palette, grey). */
    static void assertSameRgb(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth(), actual.getWidth(), "width");
        assertEquals(expected.getHeight(), actual.getHeight(), "height");
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                if (expected.getRGB(x, y) != actual.getRGB(x, y)) {
                    assertEquals(expected.getRGB(x, y), actual.getRGB(x, y), "ARGB at " + x + "," + y);
                }
            }
        }
    }
}
