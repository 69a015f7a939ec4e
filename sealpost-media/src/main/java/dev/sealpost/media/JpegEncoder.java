package dev.sealpost.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG output through ImageIO's writer: baseline, optimised Huffman tables, 4:2:0 chroma for
 * colour, a single channel for grey. Transparency is flattened onto white.
 */
final class JpegEncoder {
    private JpegEncoder() {}

    /**
     * @param image   any decoded image
     * @param quality 1 (smallest) to 100 (best)
     * @return the JPEG file
     * @throws IOException if the writer fails
     */
    static byte[] encode(BufferedImage image, int quality) throws IOException {
        BufferedImage opaque = toJpegColours(image);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG writer in this JDK");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            if (param instanceof JPEGImageWriteParam jpegParam) {
                jpegParam.setOptimizeHuffmanTables(true);
            }
            writer.write(null, new IIOImage(opaque, null, null), param);
        } catch (RuntimeException e) {
            throw new IOException("JPEG writer failed: " + e, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** @return 8-bit grey or 8-bit RGB without alpha, transparent pixels composed onto white */
    static BufferedImage toJpegColours(BufferedImage image) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_3BYTE_BGR
                || type == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        ColorModel cm = image.getColorModel();
        int dataType = image.getSampleModel().getDataType();
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && (dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_USHORT)) {
            return greyToByte(image);
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /**
     * Grey samples scaled to 8 bits directly. Drawing onto an RGB image instead would pass them
     * through Java2D's linear-grey to sRGB conversion and brighten every mid-tone.
     */
    private static BufferedImage greyToByte(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        Raster in = image.getRaster();
        boolean alpha = image.getColorModel().hasAlpha() && in.getNumBands() > 1;
        double greyMax = (1 << in.getSampleModel().getSampleSize(0)) - 1;
        double alphaMax = alpha ? (1 << in.getSampleModel().getSampleSize(1)) - 1 : 1;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = out.getRaster();
        int[] grey = new int[width];
        int[] a = new int[width];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            in.getSamples(0, y, width, 1, 0, grey);
            if (alpha) {
                in.getSamples(0, y, width, 1, 1, a);
            }
            for (int x = 0; x < width; x++) {
                double v = grey[x] / greyMax;
                if (alpha) {
                    double opacity = a[x] / alphaMax;
                    v = v * opacity + (1 - opacity);
                }
                row[x] = (int) Math.round(v * 255);
            }
            raster.setSamples(0, y, width, 1, 0, row);
        }
        return out;
    }
}
