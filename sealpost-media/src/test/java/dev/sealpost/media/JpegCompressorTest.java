package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JpegCompressorTest {

    /** A photo-like picture stored as PNG, as a phone screenshot or an export would be. */
    private static byte[] photoPng(int w, int h) {
        return TestImages.write(TestImages.read(SampleImages.jpeg(w, h, 95)), "png");
    }

    @Test
    void prepare_photoPngAsJpeg_validJpegSameSizeMuchSmaller() throws Exception {
        byte[] png = photoPng(640, 480);

        PreparedImage out = Images.prepare("shots/photo.png", png, Compression.parse("jpeg:80"));

        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.detect(out.bytes()));
        assertEquals("image/jpeg", out.mediaType());
        assertEquals("photo.jpg", out.filename());
        BufferedImage decoded = TestImages.read(out.bytes());
        assertEquals(640, decoded.getWidth());
        assertEquals(480, decoded.getHeight());
        assertEquals(640, out.width());
        assertEquals(480, out.height());
        assertTrue(out.size() * 3 < png.length, out + " vs PNG " + png.length);
        JpegSegments.check(out.bytes());
    }

    @Test
    void prepare_lowerQuality_givesSmallerFile() throws Exception {
        byte[] png = photoPng(320, 240);

        long q30 = Images.prepare("p.png", png, Compression.jpeg(30)).size();
        long q90 = Images.prepare("p.png", png, Compression.jpeg(90)).size();

        assertTrue(q30 < q90, q30 + " vs " + q90);
    }

    @Test
    void prepare_transparentPng_flattenedOntoWhite() throws Exception {
        BufferedImage rgba = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                rgba.setRGB(x, y, x < 32 ? 0x00000000 : 0xFF0000FF);
            }
        }

        PreparedImage out = Images.prepare("t.png", TestImages.write(rgba, "png"), Compression.jpeg(90));

        BufferedImage decoded = TestImages.read(out.bytes());
        int transparent = decoded.getRGB(8, 32);
        int blue = decoded.getRGB(56, 32);
        assertTrue((transparent & 0xFF) > 245 && (transparent >> 8 & 0xFF) > 245 && (transparent >> 16 & 0xFF) > 245,
                Integer.toHexString(transparent));
        assertTrue((blue & 0xFF) > 220 && (blue >> 16 & 0xFF) < 40, Integer.toHexString(blue));
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"GREY", "GREY_16", "GREY_ALPHA"})
    void prepare_greyPng_staysOneChannelWithSameTones(TestImages.Kind kind) throws Exception {
        BufferedImage grey = kind.create(48, 48);
        int max = (1 << grey.getSampleModel().getSampleSize(0)) - 1;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                grey.getRaster().setSample(x, y, 0, max / 2);
                if (grey.getRaster().getNumBands() > 1) {
                    grey.getRaster().setSample(x, y, 1, (1 << grey.getSampleModel().getSampleSize(1)) - 1);
                }
            }
        }

        PreparedImage out = Images.prepare("g.png", TestImages.write(grey, "png"), Compression.jpeg(90));

        BufferedImage decoded = TestImages.read(out.bytes());
        assertEquals(1, decoded.getRaster().getNumBands());
        int v = decoded.getRaster().getSample(24, 24, 0);
        assertTrue(Math.abs(v - 127) <= 2, "mid grey came out as " + v);
    }

    @Test
    void prepare_jpegThatWouldGrow_keepsOriginal() throws Exception {
        byte[] input = SampleImages.jpeg(320, 240, 40);

        PreparedImage out = Images.prepare("low.jpg", input, Compression.jpeg(98));

        assertArrayEquals(input, out.bytes());
    }

    @Test
    void prepare_jpegAtLowerQuality_reencoded() throws Exception {
        byte[] input = SampleImages.jpeg(320, 240, 95);

        PreparedImage out = Images.prepare("high.JPEG", input, Compression.jpeg(60));

        assertTrue(out.size() < input.length);
        assertEquals("high.JPEG", out.filename());
        assertEquals(320, TestImages.read(out.bytes()).getWidth());
    }

    @ParameterizedTest
    @EnumSource(value = TestImages.Kind.class, names = {"PALETTE", "PALETTE_2_BIT", "RGB_16", "RGBA_16"})
    void prepare_otherPngLayouts_encodeAsJpeg(TestImages.Kind kind) throws Exception {
        PreparedImage out = Images.prepare("k.png", TestImages.write(kind.create(40, 30), "png"), Compression.jpeg(85));

        assertEquals(ImageFormat.JPEG, out.format());
        assertEquals(40, TestImages.read(out.bytes()).getWidth());
    }

    @Test
    void prepare_progressiveJpeg_reencodedAsBaseline() throws Exception {
        byte[] input = JpegSegmentsTest.progressive(TestImages.read(SampleImages.jpeg(200, 150, 95)));

        PreparedImage out = Images.prepare("p.jpg", input, Compression.jpeg(50));

        assertTrue(out.size() < input.length);
        assertEquals(200, TestImages.read(out.bytes()).getWidth());
    }

    @Test
    void prepare_stillGifAndBmp_becomeJpeg() throws Exception {
        byte[] gif = TestImages.write(TestImages.Kind.PALETTE.create(40, 30), "gif");
        byte[] bmp = TestImages.write(TestImages.draw(new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR)), "bmp");

        assertEquals("a.jpg", Images.prepare("a.gif", gif, Compression.jpeg(85)).filename());
        assertEquals(ImageFormat.JPEG, Images.prepare("b.bmp", bmp, Compression.jpeg(85)).format());
    }
}
