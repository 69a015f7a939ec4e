package dev.sealpost.media;

import static dev.sealpost.media.PixelSamples.assertSameSamples;
import static dev.sealpost.media.TestImages.chunk;
import static dev.sealpost.media.TestImages.chunkTypes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LosslessCompressorTest {
    private static final Compression LOSSLESS = Compression.defaultMode();

    @ParameterizedTest
    @EnumSource(TestImages.Kind.class)
    void prepare_uncompressedPng_reencodedSmallerAndPixelIdentical(TestImages.Kind kind) throws Exception {
        BufferedImage image = kind.create(160, 120);
        byte[] input = TestImages.png(image, 1f, false);

        PreparedImage out = Images.prepare("pic.png", input, LOSSLESS);

        assertTrue(out.bytes().length < input.length, out + " should be smaller than " + input.length);
        assertEquals(ImageFormat.PNG, out.format());
        assertEquals("image/png", out.mediaType());
        assertEquals("pic.png", out.filename());
        assertEquals(input.length, out.originalSize());
        assertEquals(160, out.width());
        assertEquals(120, out.height());
        assertEquals(0, TestImages.header(out.bytes())[2], "interlace");
        assertSameSamples(TestImages.read(input), TestImages.read(out.bytes()));
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"RGBA", "GREY_16", "PALETTE"})
    void prepare_interlacedPng_becomesNonInterlacedWithSamePixels(TestImages.Kind kind) throws Exception {
        byte[] input = TestImages.png(kind.create(97, 61), 1f, true);
        assertEquals(1, TestImages.header(input)[2]);

        PreparedImage out = Images.prepare("i.png", input, LOSSLESS);

        assertEquals(0, TestImages.header(out.bytes())[2]);
        assertSameSamples(TestImages.read(input), TestImages.read(out.bytes()));
    }

    @Test
    void prepare_samplePng_getsSmaller() throws Exception {
        byte[] input = SampleImages.png(640, 480);

        PreparedImage out = Images.prepare("scene.png", input, LOSSLESS);

        assertTrue(out.size() < input.length, out.toString());
        assertSameSamples(TestImages.read(input), TestImages.read(out.bytes()));
    }

    @Test
    void prepare_pngAlreadyAtBestCompression_keepsOriginalBytes() throws Exception {
        BufferedImage noise = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        byte[] input = PngOptimizer.optimize(noise, new byte[0], -1);

        PreparedImage out = Images.prepare("noise.png", input, LOSSLESS);

        assertArrayEquals(input, out.bytes());
        assertEquals("noise.png", out.filename());
    }

    @Test
    void prepare_pngWithColourChunks_carriesThemOver() throws Exception {
        byte[] gama = chunk("gAMA", new byte[] {0, 0, (byte) 0xB1, (byte) 0x8F});
        byte[] srgb = chunk("sRGB", new byte[] {0});
        byte[] text = chunk("tEXt", "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1));
        byte[] input = TestImages.withChunksAfterHeader(TestImages.png(TestImages.Kind.RGB.create(80, 60), 1f, false),
                gama, srgb, text);

        PreparedImage out = Images.prepare("c.png", input, LOSSLESS);

        assertTrue(out.size() < input.length);
        assertEquals(1, Collections.frequency(chunkTypes(out.bytes()), "gAMA"), chunkTypes(out.bytes()).toString());
        assertEquals(1, Collections.frequency(chunkTypes(out.bytes()), "sRGB"));
        assertTrue(contains(out.bytes(), gama) && contains(out.bytes(), srgb));
        assertEquals("IHDR", chunkTypes(out.bytes()).get(0));
        assertSameSamples(TestImages.read(input), TestImages.read(out.bytes()));
    }

    @Test
    void prepare_animatedPng_keepsOriginalBytes() throws Exception {
        byte[] actl = chunk("acTL", new byte[] {0, 0, 0, 1, 0, 0, 0, 0});
        byte[] input = TestImages.withChunksAfterHeader(TestImages.png(TestImages.Kind.RGB.create(40, 30), 1f, false), actl);

        assertArrayEquals(input, Images.prepare("anim.png", input, LOSSLESS).bytes());
    }

    @Test
    void prepare_jpeg_passesThroughByteIdentical() throws Exception {
        byte[] input = SampleImages.jpeg(320, 240, 90);

        PreparedImage out = Images.prepare("photos/holiday.jpeg", input, LOSSLESS);

        assertArrayEquals(input, out.bytes());
        assertEquals("holiday.jpeg", out.filename());
        assertEquals("image/jpeg", out.mediaType());
        assertEquals(320, out.width());
        assertEquals(240, out.height());
    }

    @Test
    void prepare_gif_keepsOriginalBytes() throws Exception {
        byte[] input = TestImages.write(TestImages.Kind.PALETTE.create(50, 40), "gif");

        PreparedImage out = Images.prepare("a.gif", input, LOSSLESS);

        assertArrayEquals(input, out.bytes());
        assertEquals(ImageFormat.GIF, out.format());
    }

    @Test
    void prepare_bmp_becomesPngWithSamePixels() throws Exception {
        byte[] input = TestImages.write(TestImages.draw(new BufferedImage(90, 70, BufferedImage.TYPE_3BYTE_BGR)), "bmp");

        PreparedImage out = Images.prepare("dir/scan.bmp", input, LOSSLESS);

        assertEquals(ImageFormat.PNG, out.format());
        assertEquals("scan.png", out.filename());
        assertTrue(out.size() < input.length);
        assertSameSamples(TestImages.read(input), TestImages.read(out.bytes()));
    }

    @Test
    void prepare_bmp565_becomesPngWithSameColours() throws Exception {
        byte[] input = TestImages.write(TestImages.draw(new BufferedImage(64, 48, BufferedImage.TYPE_USHORT_565_RGB)), "bmp");

        PreparedImage out = Images.prepare("x.bmp", input, LOSSLESS);

        BufferedImage before = TestImages.read(input);
        BufferedImage after = TestImages.read(out.bytes());
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(before.getRGB(x, y), after.getRGB(x, y));
            }
        }
    }

    @Test
    void prepare_tiff_becomesPngWithSamePixels() throws Exception {
        byte[] input = TestImages.write(TestImages.Kind.RGBA.create(70, 50), "tiff");

        PreparedImage out = Images.prepare("t.TIF", input, LOSSLESS);

        assertEquals(ImageFormat.PNG, out.format());
        assertEquals("t.png", out.filename());
        assertSameSamples(TestImages.read(input), TestImages.read(out.bytes()));
    }

    @Test
    void prepare_multiPageTiff_keepsOriginalBytes() throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(TestImages.Kind.RGB.create(30, 20), null, null), null);
            writer.writeToSequence(new IIOImage(TestImages.Kind.GREY.create(30, 20), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        byte[] input = bytes.toByteArray();

        PreparedImage out = Images.prepare("pages.tiff", input, LOSSLESS);

        assertArrayEquals(input, out.bytes());
        assertEquals(ImageFormat.TIFF, out.format());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void prepare_losslessOutput_neverHasTextChunksOfItsOwn() throws Exception {
        PreparedImage out = Images.prepare("p.png", TestImages.png(TestImages.Kind.RGB.create(30, 30), 1f, false), LOSSLESS);

        assertFalse(chunkTypes(out.bytes()).stream().anyMatch(t -> t.endsWith("Xt")), chunkTypes(out.bytes()).toString());
    }
}
