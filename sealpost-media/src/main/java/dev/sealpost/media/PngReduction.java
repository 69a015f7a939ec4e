package dev.sealpost.media;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lossless reductions, as optipng and oxipng make them: finds the PNG image types that hold an
 * image's samples exactly in fewer bytes. Every reduction is exact by construction, since PNG
 * defines a sample by its value over {@code 2^depth - 1} (PNG 3rd edition, W3C 2025 / ISO/IEC
 * 15948, 6.1 "Colour types and values", 12.4 "Sample depth scaling"):
 * <ul>
 *   <li>alpha dropped when every pixel is opaque (RGBA to RGB, grey+alpha to grey);</li>
 *   <li>RGB to grey when R = G = B in every pixel;</li>
 *   <li>16 to 8 bits when every sample's low byte equals its high byte ({@code v = 257 * v8});</li>
 *   <li>grey to 4, 2 or 1 bits when every value is a multiple of 17, 85 or 255;</li>
 *   <li>at most 256 distinct colours (alpha included) to a palette of 1, 2, 4 or 8 bits, with
 *       tRNS for the translucent entries, which come first so that tRNS stays short
 *       (11.2.4 PLTE, 11.3.1.1 tRNS).</li>
 * </ul>
 * The colour of a fully transparent pixel is kept too: decoded samples stay identical.
 */
final class PngReduction {
    /** Which colour types an output may have: any, or only those of the source's family. */
    enum Family { ANY, GREY, COLOUR }

    private PngReduction() {}

    /**
     * @param image  decoded pixels, as {@link PngEncoder#encodable} accepts them
     * @param family the colour types allowed (an iCCP profile fits only grey or only colour types)
     * @return one or two layouts of the same samples, the likely smallest first; empty if the colour
     *         model is not one read here (premultiplied alpha, odd sample sizes)
     */
    static List<PngRaster> layouts(BufferedImage image, Family family) {
        ColorModel cm = image.getColorModel();
        int w = image.getWidth();
        int h = image.getHeight();
        if (cm.isAlphaPremultiplied()) {
            return List.of();
        }
        if (cm instanceof IndexColorModel icm) {
            return indexed(image.getRaster(), icm, family);
        }
        if (cm instanceof DirectColorModel dcm) {
            if (Arrays.stream(dcm.getComponentSize()).anyMatch(s -> s != 8)) {
                return List.of();
            }
            int[] argb = new int[Math.multiplyExact(w, h)];
            image.getRGB(0, 0, w, h, argb, 0, w);
            return eightBit(argb, w, h, family);
        }
        if (cm instanceof ComponentColorModel) {
            return component(image.getRaster(), cm, family);
        }
        return List.of();
    }

    private static List<PngRaster> indexed(Raster raster, IndexColorModel icm, Family family) {
        int w = raster.getWidth();
        int[] map = new int[icm.getMapSize()];
        icm.getRGBs(map);
        int[] argb = new int[Math.multiplyExact(w, raster.getHeight())];
        int[] row = new int[w];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                if (row[x] >= map.length) {
                    return List.of();
                }
                argb[y * w + x] = map[row[x]];
            }
        }
        return eightBit(argb, w, raster.getHeight(), family);
    }

    private static List<PngRaster> component(Raster raster, ColorModel cm, Family family) {
        boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        boolean alpha = cm.hasAlpha();
        int n = cm.getNumComponents();
        int bits = raster.getSampleModel().getSampleSize(0);
        if (n != (grey ? 1 : 3) + (alpha ? 1 : 0) || raster.getNumBands() != n
                || !(bits == 1 || bits == 2 || bits == 4 || bits == 8 || bits == 16)) {
            return List.of();
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] px = new int[w * n];
        if (bits == 16) {
            boolean to8 = true;
            boolean opaque = true;
            boolean allGrey = true;
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, px);
                for (int i = 0; i < px.length; i += n) {
                    for (int c = 0; c < n; c++) {
                        to8 &= (px[i + c] >>> 8) == (px[i + c] & 0xFF);
                    }
                    opaque &= !alpha || px[i + n - 1] == 0xFFFF;
                    allGrey &= grey || px[i] == px[i + 1] && px[i + 1] == px[i + 2];
                }
            }
            if (!to8) {
                return sixteenBit(raster, grey, alpha, opaque, allGrey, family);
            }
        }
        int max = (1 << bits) - 1;
        int[] argb = new int[Math.multiplyExact(w, h)];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, px);
            for (int x = 0, i = 0; x < w; x++, i += n) {
                int r = px[i] * 255 / max;
                int g = grey ? r : px[i + 1] * 255 / max;
                int b = grey ? r : px[i + 2] * 255 / max;
                int a = alpha ? px[i + n - 1] * 255 / max : 255;
                argb[y * w + x] = a << 24 | r << 16 | g << 8 | b;
            }
        }
        return eightBit(argb, w, h, family);
    }

    private static List<PngRaster> sixteenBit(Raster raster, boolean grey, boolean alpha, boolean opaque,
                                              boolean allGrey, Family family) {
        if (family == Family.GREY && !allGrey) {
            return List.of();
        }
        boolean outGrey = allGrey && family != Family.COLOUR;
        boolean outAlpha = alpha && !opaque;
        int n = raster.getNumBands();
        int[] colour = outGrey ? new int[] {0} : grey ? new int[] {0, 0, 0} : new int[] {0, 1, 2};
        int[] select = Arrays.copyOf(colour, colour.length + (outAlpha ? 1 : 0));
        if (outAlpha) {
            select[colour.length] = n - 1;
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int colourType = outGrey ? (outAlpha ? 4 : 0) : (outAlpha ? 6 : 2);
        int rowBytes = w * select.length * 2;
        byte[] rows = new byte[Math.multiplyExact(rowBytes, h)];
        int[] px = new int[w * n];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, px);
            for (int i = 0; i < px.length; i += n) {
                for (int c : select) {
                    rows[o++] = (byte) (px[i + c] >>> 8);
                    rows[o++] = (byte) px[i + c];
                }
            }
        }
        return List.of(new PngRaster(w, h, colourType, 16, null, null, rows));
    }

    /** Reductions of 8-bit samples, given as non-premultiplied ARGB. */
    static List<PngRaster> eightBit(int[] argb, int w, int h, Family family) {
        boolean opaque = true;
        boolean grey = true;
        int greyDepth = 1;
        ColourSet colours = new ColourSet();
        int last = ~argb[0];
        for (int p : argb) {
            if (p == last) {
                continue;
            }
            last = p;
            opaque &= p >>> 24 == 255;
            int r = p >>> 16 & 0xFF;
            if (grey && (r != (p >>> 8 & 0xFF) || r != (p & 0xFF))) {
                grey = false;
            }
            if (grey && greyDepth < 8) {
                greyDepth = Math.max(greyDepth, r % 17 != 0 ? 8 : r % 85 != 0 ? 4 : r % 255 != 0 ? 2 : 1);
            }
            colours.add(p);
        }
        int count = colours.size();
        boolean paletteOk = count <= 256 && family != Family.GREY;
        int paletteDepth = count <= 2 ? 1 : count <= 4 ? 2 : count <= 16 ? 4 : 8;
        List<PngRaster> out = new ArrayList<>(2);
        if (grey && family != Family.COLOUR) {
            out.add(opaque ? greyRaster(argb, w, h, greyDepth) : direct(argb, w, h, 4));
            if (paletteOk && (opaque ? paletteDepth < greyDepth : true)) {
                out.add(paletteRaster(argb, w, h, colours, paletteDepth));
            }
        } else if (family == Family.GREY) {
            return List.of();
        } else if (paletteOk && paletteDepth < 8) {
            out.add(paletteRaster(argb, w, h, colours, paletteDepth));
        } else {
            out.add(direct(argb, w, h, opaque ? 2 : 6));
            if (paletteOk) {
                out.add(0, paletteRaster(argb, w, h, colours, paletteDepth));
            }
        }
        return out;
    }

    private static PngRaster greyRaster(int[] argb, int w, int h, int depth) {
        int divisor = 255 / ((1 << depth) - 1);
        PackedRows rows = new PackedRows(w, h, depth);
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                rows.put((argb[i] & 0xFF) / divisor);
            }
        }
        return new PngRaster(w, h, 0, depth, null, null, rows.bytes());
    }

    /** Colour type 2 (RGB), 4 (grey, alpha) or 6 (RGBA), 8 bits. */
    private static PngRaster direct(int[] argb, int w, int h, int colourType) {
        int channels = colourType == 2 ? 3 : colourType == 4 ? 2 : 4;
        byte[] rows = new byte[Math.multiplyExact(argb.length, channels)];
        int o = 0;
        for (int p : argb) {
            if (colourType == 4) {
                rows[o++] = (byte) p;
            } else {
                rows[o++] = (byte) (p >>> 16);
                rows[o++] = (byte) (p >>> 8);
                rows[o++] = (byte) p;
            }
            if (colourType != 2) {
                rows[o++] = (byte) (p >>> 24);
            }
        }
        return new PngRaster(w, h, colourType, 8, null, null, rows);
    }

    private static PngRaster paletteRaster(int[] argb, int w, int h, ColourSet colours, int depth) {
        int[] entries = colours.sortedForPalette();
        byte[] plte = new byte[entries.length * 3];
        int translucent = 0;
        for (int i = 0; i < entries.length; i++) {
            plte[3 * i] = (byte) (entries[i] >>> 16);
            plte[3 * i + 1] = (byte) (entries[i] >>> 8);
            plte[3 * i + 2] = (byte) entries[i];
            colours.setIndex(entries[i], i);
            if (entries[i] >>> 24 != 255) {
                translucent = i + 1;
            }
        }
        byte[] trns = null;
        if (translucent > 0) {
            trns = new byte[translucent];
            for (int i = 0; i < translucent; i++) {
                trns[i] = (byte) (entries[i] >>> 24);
            }
        }
        PackedRows rows = new PackedRows(w, h, depth);
        int last = ~argb[0];
        int index = 0;
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                if (argb[i] != last) {
                    last = argb[i];
                    index = colours.index(last);
                }
                rows.put(index);
            }
        }
        return new PngRaster(w, h, 3, depth, plte, trns, rows.bytes());
    }

    /** Scanlines of 1-8 bit values, packed from the most significant bit, rows byte-aligned. */
    private static final class PackedRows {
        private final byte[] bytes;
        private final int width;
        private final int depth;
        private int pos;
        private int x;
        private int acc;
        private int filled;

        PackedRows(int width, int height, int depth) {
            this.width = width;
            this.depth = depth;
            this.bytes = new byte[Math.multiplyExact((width * depth + 7) / 8, height)];
        }

        void put(int value) {
            acc = acc << depth | value;
            filled += depth;
            if (++x == width) {
                acc <<= (8 - filled % 8) % 8;
                filled += (8 - filled % 8) % 8;
                x = 0;
            }
            if (filled == 8) {
                bytes[pos++] = (byte) acc;
                acc = 0;
                filled = 0;
            }
        }

        byte[] bytes() {
            return bytes;
        }
    }

    /** Distinct ARGB values, counted up to 257, each with a palette index once sorted. */
    private static final class ColourSet {
        private static final int SLOTS = 1024;
        private final int[] keys = new int[SLOTS];
        private final int[] indices = new int[SLOTS];
        private final boolean[] used = new boolean[SLOTS];
        private final int[] order = new int[257];
        private int size;

        void add(int argb) {
            if (size > 256) {
                return;
            }
            int s = slot(argb);
            if (!used[s]) {
                used[s] = true;
                keys[s] = argb;
                order[size++] = argb;
            }
        }

        int size() {
            return size;
        }

        /**
         * Translucent entries first (for a short tRNS), then by alpha and luma, then by value: an
         * order in which neighbouring indices look alike, which suits filtering better than the
         * order of first appearance did on the benchmark corpus.
         */
        int[] sortedForPalette() {
            Integer[] boxed = new Integer[size];
            for (int i = 0; i < size; i++) {
                boxed[i] = order[i];
            }
            Arrays.sort(boxed, (a, b) -> {
                int c = Integer.compare(a >>> 24, b >>> 24);
                if (c == 0) {
                    c = Integer.compare(luma(a), luma(b));
                }
                return c != 0 ? c : Integer.compare(a, b);
            });
            return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        }

        void setIndex(int argb, int index) {
            indices[slot(argb)] = index;
        }

        int index(int argb) {
            return indices[slot(argb)];
        }

        private int slot(int argb) {
            int s = (argb * 0x9E3779B1) >>> 22;
            while (used[s] && keys[s] != argb) {
                s = (s + 1) & (SLOTS - 1);
            }
            return s;
        }

        private static int luma(int p) {
            return 299 * (p >>> 16 & 0xFF) + 587 * (p >>> 8 & 0xFF) + 114 * (p & 0xFF);
        }
    }
}
