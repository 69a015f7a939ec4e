package dev.sealpost.media;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Applies an EXIF orientation (TIFF 6.0 tag 274; CIPA DC-008 Exif 2.32 section 4.6.4) to pixels,
 * so that a re-encoded image looks upright without carrying the tag. Samples are copied exactly in
 * the image's own colour model (palette, grey, 16-bit and alpha kept), so a lossless re-encoding
 * stays lossless.
 *
 * <p>Values: 1 as stored; 2 mirrored left-right; 3 rotated 180 degrees; 4 mirrored top-bottom;
 * 5 transposed (mirrored along the top-left to bottom-right diagonal); 6 needs a 90 degree
 * clockwise turn; 7 transversed; 8 needs a 90 degree anticlockwise turn. 5 to 8 swap width and
 * height.
 */
final class Orientation {
    private Orientation() {}

    /** @return true if {@code orientation} (1..8) swaps width and height */
    static boolean swapsDimensions(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * @param image       decoded pixels as stored
     * @param orientation 1..8; anything else is treated as 1
     * @return the upright image: {@code image} itself for 1, otherwise a new image in the same colour model
     */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = swapsDimensions(orientation);
        ColorModel cm = image.getColorModel();
        WritableRaster out = cm.createCompatibleWritableRaster(swap ? h : w, swap ? w : h);
        Raster in = image.getRaster();
        int bands = in.getNumBands();
        int[] row = new int[w * bands];
        int[] pixel = new int[bands];
        for (int y = 0; y < h; y++) {
            in.getPixels(in.getMinX(), in.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                System.arraycopy(row, x * bands, pixel, 0, bands);
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; }
                }
                out.setPixel(dx, dy, pixel);
            }
        }
        return new BufferedImage(cm, out, cm.isAlphaPremultiplied(), null);
    }
}
