package dev.sealpost.media;

import static dev.sealpost.media.PixelSamples.assertSameSamples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngOptimizerTest {
    private static final byte[] NO_CHUNKS = new byte[0];

    @Test
    void optimize_opaqueRgba_writesRgbPixelIdentical() throws Exception {
        BufferedImage image = noise(new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB), 0xFF000000, 0xFFFFFF);

        byte[] png = optimizeValid(image);

        assertHeader(png, 8, 2);
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_rgbWithEqualChannels_writesGreyPixelIdentical() throws Exception {
        BufferedImage image = new BufferedImage(70, 50, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 70; x++) {
                int v = (x * 7 + y * 3) % 256;
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }

        byte[] png = optimizeValid(image);

        assertHeader(png, 8, 0);
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_greyWithAlpha_writesGreyAlphaPixelIdentical() throws Exception {
        BufferedImage image = TestImages.Kind.GREY_ALPHA.create(80, 60);

        byte[] png = optimizeValid(image);

        assertHeader(png, 8, 4);
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_fewTranslucentColours_writesPaletteWithShortTrnsPixelIdentical() throws Exception {
        int[] colours = {0x00000000, 0x00FF0000, 0x80336699, 0xFF102030, 0xFFFFFFFF, 0xFFAA0000, 0x40FFFFFF};
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                image.setRGB(x, y, colours[(x / 3 + y) % colours.length]);
            }
        }

        byte[] png = optimizeValid(image);

        assertHeader(png, 4, 3);
        List<String> types = TestImages.chunkTypes(png);
        assertEquals(List.of("IHDR", "PLTE", "tRNS", "IDAT", "IEND"), types);
        assertEquals(4, chunkLength(png, "tRNS"), "only the four translucent entries, first");
        assertEquals(7 * 3, chunkLength(png, "PLTE"));
        assertSameSamples(image, TestImages.read(png));
    }

    @ParameterizedTest(name = "{0} colours -> {1} bit")
    @CsvSource({"2, 1", "3, 2", "4, 2", "5, 4", "16, 4", "17, 8", "256, 8"})
    void optimize_fewColours_writesPaletteOfSmallestDepthPixelIdentical(int count, int depth) throws Exception {
        BufferedImage image = new BufferedImage(150, 100, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(count);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 150; x++) {
                int i = x < count ? x : random.nextInt(count);
                image.setRGB(x, y, i << 16 | (i * 7 & 0xFF) << 8 | 0x40);
            }
        }

        byte[] png = optimizeValid(image);

        assertHeader(png, depth, 3);
        assertSameSamples(image, TestImages.read(png));
    }

    @ParameterizedTest(name = "grey step {0} -> {1} bit")
    @CsvSource({"255, 1", "85, 2", "17, 4", "1, 8"})
    void optimize_greyLevels_writesLowestGreyDepthPixelIdentical(int step, int depth) throws Exception {
        BufferedImage image = new BufferedImage(45, 19, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < 19; y++) {
            for (int x = 0; x < 45; x++) {
                raster.setSample(x, y, 0, (x + y * 3) * step % (255 / step * step + step));
            }
        }

        byte[] png = optimizeValid(image);

        assertHeader(png, depth, 0);
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_sixteenBitWithEqualBytes_writesEightBitPixelIdentical() throws Exception {
        BufferedImage image = TestImages.Kind.RGB_16.create(50, 40);
        WritableRaster raster = image.getRaster();
        Random random = new Random(7);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                for (int b = 0; b < 3; b++) {
                    raster.setSample(x, y, b, random.nextInt(256) * 257);
                }
            }
        }

        byte[] png = optimizeValid(image);

        assertHeader(png, 8, 2);
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_sixteenBitOpaqueGreyRgba_writesSixteenBitGreyPixelIdentical() throws Exception {
        BufferedImage image = TestImages.Kind.RGBA_16.create(33, 21);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < 21; y++) {
            for (int x = 0; x < 33; x++) {
                int v = (x * 1999 + y * 7919) & 0xFFFF;
                raster.setPixel(x, y, new int[] {v, v, v, 0xFFFF});
            }
        }

        byte[] png = optimizeValid(image);

        assertHeader(png, 16, 0);
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_sixteenBitTranslucent_keepsSixteenBitRgbaPixelIdentical() throws Exception {
        BufferedImage image = TestImages.Kind.RGBA_16.create(40, 30);

        byte[] png = optimizeValid(image);

        assertHeader(png, 16, 6);
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_paletteInput_keepsTransparentPixelsColourPixelIdentical() throws Exception {
        BufferedImage image = TestImages.Kind.PALETTE.create(60, 40);

        byte[] png = optimizeValid(image);

        assertEquals(3, TestImages.header(png)[1]);
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_greyContentWithRgbIccProfile_staysColour() throws Exception {
        BufferedImage image = new BufferedImage(300, 20, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 300; x++) {
            for (int y = 0; y < 20; y++) {
                image.setRGB(x, y, (x + y) % 256 * 0x010101);
            }
        }
        byte[] iccp = TestImages.chunk("iCCP", new byte[] {'p', 0, 0, 0x78, (byte) 0x9C, 3, 0, 0, 0, 0, 1});

        byte[] png = PngOptimizer.optimize(image, iccp, 2);

        assertNotNull(png);
        assertFalse(TestImages.header(png)[1] == 0 || TestImages.header(png)[1] == 4, "grey would not fit the profile");
        assertEquals(List.of("IHDR", "iCCP"), TestImages.chunkTypes(png).subList(0, 2));
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_sameImageTwice_sameBytes() {
        BufferedImage image = TestImages.Kind.RGBA.create(700, 500);

        assertArrayEquals(PngOptimizer.optimize(image, NO_CHUNKS, -1), PngOptimizer.optimize(image, NO_CHUNKS, -1));
    }

    @Test
    void optimize_largeImage_sampledTrialsStillPixelIdentical() throws Exception {
        BufferedImage image = TestImages.Kind.RGB.create(900, 700);

        byte[] png = optimizeValid(image);

        assertTrue(900L * 3 * 700 > PngOptimizer.SAMPLE_BYTES, "big enough to be sampled");
        assertSameSamples(image, TestImages.read(png));
    }

    @Test
    void optimize_screenshot_muchSmallerThanImageIoDefault() throws Exception {
        BufferedImage screenshot = screenshot(1024, 640);
        byte[] imageIo = TestImages.write(screenshot, "png");

        byte[] png = optimizeValid(screenshot);

        assertTrue(png.length * 2 < imageIo.length, png.length + " bytes vs ImageIO's " + imageIo.length);
        assertSameSamples(screenshot, TestImages.read(png));
    }

    @Test
    void prepare_optimizedPngAgain_neverLarger() throws Exception {
        byte[] once = Images.prepare("s.png", TestImages.png(screenshot(400, 300), 1f, true), Compression.lossless()).bytes();

        PreparedImage twice = Images.prepare("s.png", once, Compression.lossless());

        assertTrue(twice.size() <= once.length, twice + " vs " + once.length);
        assertSameSamples(TestImages.read(once), TestImages.read(twice.bytes()));
    }

    @TestFactory
    Stream<DynamicTest> compress_everyLayoutFilterAndStrategy_decodesToSamePixels() {
        List<DynamicTest> tests = new ArrayList<>();
        for (TestImages.Kind kind : TestImages.Kind.values()) {
            BufferedImage image = kind.create(31, 17);
            for (PngRaster raster : PngReduction.layouts(image, PngReduction.Family.ANY)) {
                for (PngOptimizer.Trial trial : PngOptimizer.trials(List.of(raster))) {
                    tests.add(DynamicTest.dynamicTest(kind + " " + trial, () -> {
                        byte[] png = PngWriter.write(raster, NO_CHUNKS, PngDeflate.zlib(trial, 9));
                        PngChunks.parse(png);
                        assertSameSamples(image, TestImages.read(png));
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** Optimizes, checks that the result is a well-formed, non-interlaced PNG, and returns it. */
    private static byte[] optimizeValid(BufferedImage image) throws Exception {
        byte[] png = PngOptimizer.optimize(image, NO_CHUNKS, -1);
        assertNotNull(png, "not optimized");
        PngChunks.parse(png); // signature, CRCs, IHDR first, IDAT, IEND
        assertEquals(0, TestImages.header(png)[2], "interlace");
        return png;
    }

    private static void assertHeader(byte[] png, int bitDepth, int colourType) {
        int[] header = TestImages.header(png);
        assertEquals(colourType, header[1], "colour type");
        assertEquals(bitDepth, header[0], "bit depth");
    }

    private static int chunkLength(byte[] png, String type) {
        int pos = 8;
        while (pos + 8 <= png.length) {
            int length = java.nio.ByteBuffer.wrap(png, pos, 4).getInt();
            if (new String(png, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII).equals(type)) {
                return length;
            }
            pos += length + 12;
        }
        return -1;
    }

    private static BufferedImage noise(BufferedImage image, int or, int mask) {
        Random random = new Random(42);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt() & mask | or);
            }
        }
        return image;
    }

    /** Window chrome, a sidebar, text and buttons: few colours, long runs, like a screenshot. */
    static BufferedImage screenshot(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setColor(new Color(0xF4F4F4));
            g.fillRect(0, 0, w, h);
            g.setColor(new Color(0x2B2D42));
            g.fillRect(0, 0, w, 36);
            g.setColor(new Color(0xE0E4EA));
            g.fillRect(0, 36, 200, h - 36);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            for (int i = 0; i < 24; i++) {
                g.setColor(i % 5 == 0 ? new Color(0x1565C0) : Color.DARK_GRAY);
                g.drawString("Message " + i + ": the quarterly report, signed and sealed", 220, 60 + i * 22);
                g.drawString("Folder " + i, 16, 60 + i * 22);
            }
            g.setColor(new Color(0x43A047));
            g.fillRoundRect(w - 140, h - 60, 110, 32, 8, 8);
            g.setColor(Color.WHITE);
            g.drawString("Send", w - 100, h - 39);
        } finally {
            g.dispose();
        }
        return image;
    }
}
