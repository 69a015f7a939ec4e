package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Real images for tests, built with ImageIO, and ways to compare and take them apart. */
final class TestImages {
    private TestImages() {}

    /** Pixel layouts a PNG can hold. */
    enum Kind {
        RGB, RGBA, GREY, GREY_16, GREY_ALPHA, RGB_16, RGBA_16, PALETTE, PALETTE_2_BIT;

        BufferedImage create(int w, int h) {
            return switch (this) {
                case RGB -> draw(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB));
                case RGBA -> draw(new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB));
                case GREY -> draw(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY));
                case GREY_16 -> fillSamples(new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY));
                case GREY_ALPHA -> fillSamples(component(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_BYTE, w, h));
                case RGB_16 -> fillSamples(component(ColorSpace.CS_sRGB, false, DataBuffer.TYPE_USHORT, w, h));
                case RGBA_16 -> fillSamples(component(ColorSpace.CS_sRGB, true, DataBuffer.TYPE_USHORT, w, h));
                case PALETTE -> fillSamples(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, palette(8)));
                case PALETTE_2_BIT -> fillSamples(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, palette(2)));
            };
        }
    }

    /** A scene with gradients, shapes and some transparency (where the image has alpha). */
    static BufferedImage draw(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Graphics2D g = image.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(20, 60, 200, 255), w, h, new Color(250, 200, 40, 90)));
            g.fillRect(0, 0, w, h / 2);
            g.setColor(new Color(200, 30, 30, 160));
            g.fill(new Ellipse2D.Double(w / 4.0, h / 4.0, w / 2.0, h / 2.0));
            g.setColor(new Color(10, 120, 60));
            g.fillRect(0, h * 3 / 4, w / 2, h / 4);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Every sample of every band set from a pattern that uses the whole range of its bits. */
    static BufferedImage fillSamples(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        int[] bits = raster.getSampleModel().getSampleSize();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                for (int b = 0; b < bits.length; b++) {
                    int max = (1 << bits[b]) - 1;
                    int v = (x * 7919 + y * 104_729 * (b + 1) + (x * y) / 3) % (max + 1);
                    raster.setSample(x, y, b, (x / 8 + y / 8) % 3 == 0 ? max / 2 : v);
                }
            }
        }
        return image;
    }

    static BufferedImage component(int colourSpace, boolean alpha, int dataType, int w, int h) {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(colourSpace), alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, dataType);
        return new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
    }

    static IndexColorModel palette(int bits) {
        int n = 1 << bits;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) (i * 37);
            g[i] = (byte) (255 - i * 11);
            b[i] = (byte) (i * 101);
            a[i] = (byte) (i % 5 == 0 ? 0 : 255 - i);
        }
        return new IndexColorModel(bits, n, r, g, b, a);
    }

    /**
     * @param quality ImageIO compression quality: 1 stores without compression, 0 is deflate level 9
     */
    static byte[] png(BufferedImage image, float quality, boolean interlaced) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            param.setProgressiveMode(interlaced ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertTrue(ImageIO.write(image, format, out), "no writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage read(byte[] data) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(data));
            assertTrue(image != null, "not readable by ImageIO");
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts equal dimensions, band count, every sample of every band, and every ARGB value. */
    static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth(), actual.getWidth(), "width");
        assertEquals(expected.getHeight(), actual.getHeight(), "height");
        Raster e = expected.getRaster();
        Raster a = actual.getRaster();
        assertEquals(e.getNumBands(), a.getNumBands(), "bands");
        int w = expected.getWidth();
        int[] es = new int[w];
        int[] as = new int[w];
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int b = 0; b < e.getNumBands(); b++) {
                e.getSamples(0, y, w, 1, b, es);
                a.getSamples(0, y, w, 1, b, as);
                for (int x = 0; x < w; x++) {
                    if (es[x] != as[x]) {
                        assertEquals(es[x], as[x], "sample at " + x + "," + y + " band " + b);
                    }
                }
            }
            for (int x = 0; x < w; x++) {
                if (expected.getRGB(x, y) != actual.getRGB(x, y)) {
                    assertEquals(expected.getRGB(x, y), actual.getRGB(x, y), "ARGB at " + x + "," + y);
                }
            }
        }
    }

    /** @return a complete PNG chunk: length, type, data, CRC */
    static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length + 12);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, data.length + 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** @return the chunk types of a PNG in file order */
    static List<String> chunkTypes(byte[] png) {
        List<String> types = new ArrayList<>();
        int pos = 8;
        while (pos + 8 <= png.length) {
            int length = ByteBuffer.wrap(png, pos, 4).getInt();
            types.add(new String(png, pos + 4, 4, StandardCharsets.US_ASCII));
            pos += length + 12;
        }
        return types;
    }

    /** @return {@code png} with {@code chunks} inserted right after IHDR */
    static byte[] withChunksAfterHeader(byte[] png, byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    /** @return the IHDR fields bit depth, colour type and interlace method */
    static int[] header(byte[] png) {
        return new int[] {png[24] & 0xFF, png[25] & 0xFF, png[28] & 0xFF};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
