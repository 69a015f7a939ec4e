package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * What a decoded pixel means, whatever PNG image type held it: red, green, blue and alpha as
 * 16-bit values ({@code v * 65535 / (2^depth - 1)}, exact for depths 1, 2, 4, 8 and 16). A palette
 * entry is looked up, grey is copied to red, green and blue, and a missing alpha is opaque. Two
 * images with the same samples here are the same image for every PNG decoder, though their
 * layouts (palette order, bit depth, channels) differ. Written apart from the code under test.
 */
final class PixelSamples {
    private PixelSamples() {}

    /** @return per pixel, R, G, B, A (16 bits each) packed into a long, rows top to bottom */
    static long[] rgba16(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        long[] out = new long[w * h];
        int bands = raster.getNumBands();
        int[] px = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, px);
                long r;
                long g;
                long b;
                long a;
                if (cm instanceof IndexColorModel icm) {
                    int argb = icm.getRGB(px[0]);
                    r = (argb >>> 16 & 0xFF) * 257L;
                    g = (argb >>> 8 & 0xFF) * 257L;
                    b = (argb & 0xFF) * 257L;
                    a = (argb >>> 24) * 257L;
                } else {
                    if (cm.isAlphaPremultiplied()) {
                        fail("premultiplied alpha is not compared here");
                    }
                    boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
                    r = scale(px[0], cm.getComponentSize(0));
                    g = grey ? r : scale(px[1], cm.getComponentSize(1));
                    b = grey ? r : scale(px[2], cm.getComponentSize(2));
                    a = cm.hasAlpha() ? scale(px[bands - 1], cm.getComponentSize(bands - 1)) : 65535;
                }
                out[y * w + x] = r << 48 | g << 32 | b << 16 | a;
            }
        }
        return out;
    }

    /** Asserts equal dimensions and equal {@link #rgba16} samples in every pixel. */
    static void assertSameSamples(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth(), actual.getWidth(), "width");
        assertEquals(expected.getHeight(), actual.getHeight(), "height");
        long[] e = rgba16(expected);
        long[] a = rgba16(actual);
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) {
                fail(String.format("pixel %d,%d: expected RGBA16 %016x, was %016x",
                        i % expected.getWidth(), i / expected.getWidth(), e[i], a[i]));
            }
        }
    }

    /** @return the pixels of two PNG or other image files decoded by ImageIO are the same */
    static boolean sameSamples(byte[] expected, byte[] actual) {
        BufferedImage e = TestImages.read(expected);
        BufferedImage a = TestImages.read(actual);
        return e.getWidth() == a.getWidth() && e.getHeight() == a.getHeight()
                && java.util.Arrays.equals(rgba16(e), rgba16(a));
    }

    private static long scale(int v, int bits) {
        if (bits == 16) {
            return v;
        }
        if (bits == 1 || bits == 2 || bits == 4 || bits == 8) {
            return v * 65535L / ((1 << bits) - 1);
        }
        throw new IllegalArgumentException(bits + "-bit samples");
    }
}
