package dev.sealpost.media;

import static dev.sealpost.media.MetadataSamples.COMMENT;
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
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata and decoding for GIF, WebP and CMYK JPEG through {@link Images#prepare}. */
class ImagesMetadataFormatsTest {

    // --- GIF ---------------------------------------------------------------------------------

    /** Two frames from ImageIO's GIF writer, looping (NETSCAPE2.0), plus a comment and an XMP extension. */
    static byte[] animatedGifWithComment() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int frame = 0; frame < 2; frame++) {
                BufferedImage image = TestImages.Kind.PALETTE.create(20 + frame, 10);
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), null);
                if (frame == 0) {
                    String format = metadata.getNativeMetadataFormatName();
                    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                    IIOMetadataNode extensions = new IIOMetadataNode("ApplicationExtensions");
                    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                    loop.setAttribute("applicationID", "NETSCAPE");
                    loop.setAttribute("authenticationCode", "2.0");
                    loop.setUserObject(new byte[] {1, 0, 0});
                    extensions.appendChild(loop);
                    root.appendChild(extensions);
                    metadata.setFromTree(format, root);
                }
                writer.writeToSequence(new IIOImage(image, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        byte[] gif = bytes.toByteArray();
        int afterHeader = 13 + ((gif[10] & 0x80) != 0 ? 3 * (1 << ((gif[10] & 7) + 1)) : 0);
        byte[] comment = TestImages.concat(new byte[] {0x21, (byte) 0xFE, (byte) COMMENT.length()}, bytes(COMMENT),
                new byte[] {0});
        byte[] xmp = TestImages.concat(new byte[] {0x21, (byte) 0xFF, 11}, bytes("XMP DataXMP"),
                new byte[] {(byte) XMP.length()}, bytes(XMP), new byte[] {0});
        return TestImages.concat(java.util.Arrays.copyOf(gif, afterHeader), comment, xmp,
                java.util.Arrays.copyOfRange(gif, afterHeader, gif.length - 1), comment, new byte[] {0x3B});
    }

    private static int frames(byte[] gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            reader.setInput(in);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }

    @Test
    void prepare_animatedGifWithComment_keepsFramesDropsComment() throws Exception {
        byte[] input = animatedGifWithComment();
        assertEquals(2, frames(input));

        PreparedImage out = Images.prepare("anim.gif", input, Compression.lossless());

        assertEquals(ImageFormat.GIF, out.format());
        assertEquals(2, frames(out.bytes()));
        assertTrue(contains(out.bytes(), "NETSCAPE2.0"), "looping kept");
        assertFalse(contains(out.bytes(), COMMENT));
        assertFalse(contains(out.bytes(), "XMP DataXMP"));
        assertEquals(input.length - 2 * (COMMENT.length() + 4) - (XMP.length() + 16), out.bytes().length);
        assertEquals(EnumSet.of(MetadataKind.COMMENT, MetadataKind.XMP), out.removed());
        for (int i = 0; i < 2; i++) {
            TestImages.assertSamePixels(readFrame(input, i), readFrame(out.bytes(), i));
        }
    }

    @Test
    void prepare_noneGif_keepsComment() throws Exception {
        byte[] input = animatedGifWithComment();

        PreparedImage out = Images.prepare("anim.gif", input, Compression.none());

        assertArrayEquals(input, out.bytes());
        assertTrue(out.metadataKept());
    }

    private static BufferedImage readFrame(byte[] gif, int index) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            reader.setInput(in);
            return reader.read(index);
        } finally {
            reader.dispose();
        }
    }

    // --- WebP --------------------------------------------------------------------------------

    /** A real 1x1 lossless bitstream (VP8L header 0x2F, then 1x1, then a coded pixel). */
    private static final byte[] VP8L_1X1 = {0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, (byte) 0x88, (byte) 0x88,
        (byte) 0xFE, 0x07};

    /** @return a chunk: FourCC, little-endian size, payload, a pad byte if the size is odd */
    static byte[] riffChunk(String fourcc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length + (payload.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        return b.put(fourcc.getBytes(StandardCharsets.US_ASCII)).putInt(payload.length).put(payload).array();
    }

    /** An extended WebP (VP8X with EXIF and XMP flags) holding the 1x1 image, then EXIF and XMP chunks. */
    static byte[] webpWithExif(int orientation) {
        byte[] vp8x = {0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] body = TestImages.concat(bytes("WEBP"), riffChunk("VP8X", vp8x), riffChunk("VP8L", VP8L_1X1),
                riffChunk("EXIF", MetadataSamples.cameraExif(ByteOrder.LITTLE_ENDIAN, orientation)),
                riffChunk("XMP ", bytes(XMP)));
        return TestImages.concat(bytes("RIFF"),
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).array(), body);
    }

    private static int riffSize(byte[] webp) {
        return ByteBuffer.wrap(webp, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void prepare_webpWithExif_dropsExifAndXmpFixesFlagsAndSize() throws Exception {
        byte[] input = webpWithExif(1);
        assertEquals(1, TestImages.read(input).getWidth(), "the sample decodes");

        PreparedImage out = Images.prepare("w.webp", input, Compression.lossless());

        byte[] b = out.bytes();
        assertEquals(b.length - 8, riffSize(b));
        assertEquals(12 + 18 + 22, b.length, "RIFF header, VP8X and VP8L chunks only");
        assertFalse(contains(b, "EXIF") || contains(b, "XMP ") || contains(b, SERIAL) || contains(b, "xmpmeta"));
        assertEquals(0, b[20], "VP8X flags");
        assertEquals(new WebpHeader(1, 1, false), WebpHeader.parse(b));
        assertEquals(1, TestImages.read(b).getWidth());
        assertTrue(out.removed().containsAll(EnumSet.of(MetadataKind.GPS, MetadataKind.CAMERA, MetadataKind.XMP)));
    }

    @Test
    void prepare_webpWithOrientation6_keepsMinimalExifChunk() throws Exception {
        byte[] b = Images.prepare("w.webp", webpWithExif(6), Compression.lossless()).bytes();

        byte[] exif = riffChunk("EXIF", Exif.minimal(6, ByteOrder.LITTLE_ENDIAN));
        assertEquals(exif.length, b.length - 52);
        assertArrayEquals(exif, java.util.Arrays.copyOfRange(b, 52, b.length));
        assertEquals(0x08, b[20], "VP8X flags: EXIF only");
        assertEquals(b.length - 8, riffSize(b));
        assertFalse(contains(b, SERIAL));
    }

    @Test
    void prepare_webpAsJpeg_decodes() throws Exception {
        PreparedImage out = Images.prepare("w.webp", webpWithExif(1), Compression.jpeg(85));

        assertEquals(ImageFormat.JPEG, out.format());
        assertEquals("w.jpg", out.filename());
        BufferedImage image = TestImages.read(out.bytes());
        assertEquals(1, image.getWidth());
        assertEquals(1, image.getHeight());
    }

    // --- CMYK JPEG ---------------------------------------------------------------------------

    /**
     * A 4-component Adobe JPEG (APP14 transform 0: CMYK, stored inverted as Photoshop does) written
     * through ImageIO's raster API: left half cyan ink, right half no ink.
     */
    static byte[] cmykJpeg() throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 40, 20, 4, null);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                raster.setPixel(x, y, new int[] {x < 20 ? 0 : 255, 255, 255, 255});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        byte[] adobe = MetadataSamples.segment(0xEE, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
        return TestImages.concat(java.util.Arrays.copyOf(jpeg, 2), adobe, java.util.Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    @Test
    void prepare_cmykJpegAsJpeg_convertsToRgb() throws Exception {
        PreparedImage out = Images.prepare("cmyk.jpg", cmykJpeg(), Compression.jpeg(90));

        BufferedImage image = TestImages.read(out.bytes());
        assertEquals(40, image.getWidth());
        assertEquals(3, image.getRaster().getNumBands());
        assertTrue(near(image.getRGB(5, 10), 0, 255, 255), "cyan: " + Integer.toHexString(image.getRGB(5, 10)));
        assertTrue(near(image.getRGB(35, 10), 255, 255, 255), "white: " + Integer.toHexString(image.getRGB(35, 10)));
    }

    @Test
    void prepare_cmykJpegLossless_keptWithAdobeSegment() throws Exception {
        byte[] input = cmykJpeg();

        PreparedImage out = Images.prepare("cmyk.jpg", input, Compression.lossless());

        assertArrayEquals(input, out.bytes());
        assertEquals(EnumSet.noneOf(MetadataKind.class), out.metadata());
    }

    // --- TIFF --------------------------------------------------------------------------------

    /**
     * An uncompressed 8-bit RGB TIFF of {@link MetadataSamples#cornerImage}, built by hand, with
     * Orientation, Make, Artist and a GPS IFD in its IFD0.
     */
    static byte[] tiffWithOrientation(int orientation) {
        BufferedImage image = MetadataSamples.cornerImage();
        int w = image.getWidth();
        int h = image.getHeight();
        ByteOrder order = ByteOrder.BIG_ENDIAN;
        byte[] pixels = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            int rgb = image.getRGB(i % w, i / w);
            pixels[3 * i] = (byte) (rgb >> 16);
            pixels[3 * i + 1] = (byte) (rgb >> 8);
            pixels[3 * i + 2] = (byte) rgb;
        }
        byte[] bits = ByteBuffer.allocate(6).order(order).putShort((short) 8).putShort((short) 8).putShort((short) 8)
                .array();
        int stripAt = 0;
        byte[] tiff = null;
        for (int pass = 0; pass < 2; pass++) {
            List<MetadataSamples.Entry> ifd0 = List.of(MetadataSamples.longEntry(order, 256, w),
                    MetadataSamples.longEntry(order, 257, h), new MetadataSamples.Entry(258, 3, 3, bits),
                    MetadataSamples.shortEntry(order, 259, 1), MetadataSamples.shortEntry(order, 262, 2),
                    MetadataSamples.longEntry(order, 273, stripAt), MetadataSamples.shortEntry(order, 274, orientation),
                    MetadataSamples.shortEntry(order, 277, 3), MetadataSamples.longEntry(order, 278, h),
                    MetadataSamples.longEntry(order, 279, pixels.length),
                    MetadataSamples.ascii(order, 0x010F, MetadataSamples.MAKE),
                    MetadataSamples.ascii(order, 0x013B, MetadataSamples.ARTIST));
            tiff = MetadataSamples.tiff(order, ifd0, List.of(),
                    List.of(MetadataSamples.rationals(order, 2, 52, 1, 31, 1, 0, 1)));
            stripAt = tiff.length;
        }
        return TestImages.concat(tiff, pixels);
    }

    @Test
    void prepare_tiffWithOrientation6_convertedToUprightPngWithoutMetadata() throws Exception {
        byte[] input = tiffWithOrientation(6);

        PreparedImage out = Images.prepare("scan.tif", input, Compression.lossless());

        assertEquals(ImageFormat.PNG, out.format());
        assertEquals(32, out.width());
        assertEquals(64, out.height());
        ImagesMetadataTest.assertSameRgb(Orientation.apply(MetadataSamples.cornerImage(), 6),
                TestImages.read(out.bytes()));
        assertFalse(contains(out.bytes(), MetadataSamples.ARTIST) || contains(out.bytes(), MetadataSamples.MAKE));
        assertEquals(EnumSet.of(MetadataKind.GPS, MetadataKind.CAMERA, MetadataKind.AUTHOR), out.removed());
    }

    // --- WebP from cwebp ---------------------------------------------------------------------

    @Test
    void prepare_realWebpWithOrientation6AsJpeg_rotatesPixels(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("corner.png");
        Path webp = dir.resolve("corner.webp");
        Files.write(png, TestImages.write(MetadataSamples.cornerImage(), "png"));
        Process cwebp;
        try {
            cwebp = new ProcessBuilder("cwebp", "-quiet", "-lossless", "-metadata", "none", png.toString(), "-o",
                    webp.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("cwebp is not installed");
            return;
        }
        assertTrue(cwebp.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, cwebp.exitValue());
        byte[] simple = Files.readAllBytes(webp);
        assertEquals("VP8L", new String(simple, 12, 4, StandardCharsets.US_ASCII));
        // Simple format to extended: VP8X (EXIF flag, 64x32 canvas), the VP8L chunk, an EXIF chunk.
        byte[] vp8x = {0x08, 0, 0, 0, 63, 0, 0, 31, 0, 0};
        byte[] body = TestImages.concat(bytes("WEBP"), riffChunk("VP8X", vp8x),
                java.util.Arrays.copyOfRange(simple, 12, simple.length),
                riffChunk("EXIF", MetadataSamples.cameraExif(ByteOrder.LITTLE_ENDIAN, 6)));
        byte[] input = TestImages.concat(bytes("RIFF"),
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).array(), body);

        PreparedImage out = Images.prepare("corner.webp", input, Compression.jpeg(90));

        BufferedImage image = TestImages.read(out.bytes());
        assertEquals(32, image.getWidth());
        assertEquals(64, image.getHeight());
        assertTrue(near(image.getRGB(23, 8), 255, 0, 0), "red top-right");
        assertTrue(near(image.getRGB(23, 55), 0, 255, 0), "green bottom-right");
        assertTrue(out.removed().contains(MetadataKind.GPS));
    }
}
