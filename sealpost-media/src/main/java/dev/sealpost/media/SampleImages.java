package dev.sealpost.media;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Images generated in code, for the demo and for tests: no files, no licences. The same
 * arguments always give the same bytes on the same JDK.
 */
public final class SampleImages {
    private static final int MAX_SIDE = 16_384;

    private SampleImages() {}

    /**
     * A drawn scene (sky gradient, sun, hills, a house, stripes) with large flat areas, the kind of
     * picture that PNG suits. Written by ImageIO's PNG writer with its default settings (deflate
     * level 4), as a Java program would write it, so lossless recompression has room to work.
     *
     * @param width  in pixels, 1..16384
     * @param height in pixels, 1..16384
     * @return an 8-bit RGB PNG file
     * @throws IllegalArgumentException if a dimension is out of range
     */
    public static byte[] png(int width, int height) {
        checkSize(width, height);
        return write(scene(width, height), "png");
    }

    /**
     * A photo-like picture (soft light, blurred shapes, fine texture and sensor noise), the kind
     * that JPEG suits and PNG does not, saved as JPEG.
     *
     * @param width   in pixels, 1..16384
     * @param height  in pixels, 1..16384
     * @param quality JPEG quality 1..100
     * @return a baseline colour JPEG file
     * @throws IllegalArgumentException if a dimension or the quality is out of range
     */
    public static byte[] jpeg(int width, int height, int quality) {
        checkSize(width, height);
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100, not " + quality);
        }
        try {
            return JpegEncoder.encode(photo(width, height), quality);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage scene(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int horizon = h * 3 / 5;
            g.setPaint(new GradientPaint(0, 0, new Color(58, 112, 196), 0, horizon, new Color(196, 224, 250)));
            g.fillRect(0, 0, w, horizon);
            g.setColor(new Color(255, 214, 92));
            double sun = Math.min(w, h) * 0.12;
            g.fill(new Ellipse2D.Double(w * 0.75 - sun, h * 0.22 - sun, 2 * sun, 2 * sun));
            g.setColor(new Color(104, 158, 82));
            g.fillRect(0, horizon, w, h - horizon);
            g.setColor(new Color(78, 132, 64));
            g.fill(new Ellipse2D.Double(-w * 0.2, horizon - h * 0.08, w * 0.8, h * 0.3));
            g.setColor(new Color(226, 210, 180));
            int hx = w / 6;
            int hw = w / 4;
            int hy = horizon - h / 10;
            g.fillRect(hx, hy, hw, h / 5);
            g.setColor(new Color(168, 62, 48));
            g.fillPolygon(new Polygon(new int[] {hx - w / 40, hx + hw / 2, hx + hw + w / 40},
                    new int[] {hy, hy - h / 8, hy}, 3));
            g.setColor(new Color(70, 90, 120));
            g.fillRect(hx + hw / 6, hy + h / 20, hw / 5, h / 12);
            g.fillRect(hx + hw * 3 / 5, hy + h / 20, hw / 5, h / 12);
            g.setColor(new Color(120, 84, 60));
            g.fillRect(hx + hw * 2 / 5, hy + h / 10, hw / 6, h / 10);
            g.setStroke(new BasicStroke(Math.max(1f, h / 120f)));
            g.setColor(new Color(240, 240, 236));
            for (int i = 0; i < 6; i++) {
                int y = horizon + (h - horizon) * (i + 1) / 8;
                g.drawLine(w / 2, y, w - w / 20, y + h / 30);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static BufferedImage photo(int w, int h) {
        Random random = new Random(20_261_122L);
        double[][] spots = new double[12][];
        for (int i = 0; i < spots.length; i++) {
            spots[i] = new double[] {random.nextDouble() * w, random.nextDouble() * h,
                    (0.05 + random.nextDouble() * 0.25) * Math.max(w, h),
                    random.nextDouble() * 120 - 60, random.nextDouble() * 120 - 60, random.nextDouble() * 120 - 60};
        }
        ValueNoise texture = new ValueNoise(random, w, h, Math.max(4, Math.min(w, h) / 48));
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double light = 0.55 + 0.45 * (1 - (double) y / h) * (0.6 + 0.4 * x / w);
                double r = 150 * light + 40;
                double g = 140 * light + 30;
                double b = 110 * light + 20;
                for (double[] spot : spots) {
                    double dx = (x - spot[0]) / spot[2];
                    double dy = (y - spot[1]) / spot[2];
                    double weight = Math.exp(-(dx * dx + dy * dy));
                    r += spot[3] * weight;
                    g += spot[4] * weight;
                    b += spot[5] * weight;
                }
                double t = 28 * texture.at(x, y);
                row[x] = rgb(r + t + random.nextGaussian() * 5, g + t + random.nextGaussian() * 5,
                        b + t + random.nextGaussian() * 5);
            }
            image.setRGB(0, y, w, 1, row, 0, w);
        }
        return image;
    }

    private static int rgb(double r, double g, double b) {
        return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void checkSize(int width, int height) {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("sample size must be 1.." + MAX_SIDE + " pixels a side, not "
                    + width + "x" + height);
        }
    }

    /** Smooth random texture in [-1, 1]: random values on a coarse grid, interpolated. */
    private static final class ValueNoise {
        private final double[][] grid;
        private final int cell;

        ValueNoise(Random random, int width, int height, int cell) {
            this.cell = cell;
            this.grid = new double[height / cell + 2][width / cell + 2];
            for (double[] line : grid) {
                for (int i = 0; i < line.length; i++) {
                    line[i] = random.nextDouble() * 2 - 1;
                }
            }
        }

        double at(int x, int y) {
            int gx = x / cell;
            int gy = y / cell;
            double fx = smooth((x % cell) / (double) cell);
            double fy = smooth((y % cell) / (double) cell);
            double top = grid[gy][gx] * (1 - fx) + grid[gy][gx + 1] * fx;
            double bottom = grid[gy + 1][gx] * (1 - fx) + grid[gy + 1][gx + 1] * fx;
            return top * (1 - fy) + bottom * fy;
        }

        private static double smooth(double t) {
            return t * t * (3 - 2 * t);
        }
    }
}
