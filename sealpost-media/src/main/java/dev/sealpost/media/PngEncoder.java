package dev.sealpost.media;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Which decoded images PNG can hold exactly ({@link #encodable}), and PNG output through ImageIO's
 * writer at its best deflate level (9), not interlaced, no metadata chunks of its own. The writer
 * is the fallback for the rare colour models {@link PngOptimizer} does not read (premultiplied
 * alpha, odd sample sizes); everything else goes through the optimizer.
 */
final class PngEncoder {
    private PngEncoder() {}

    /**
     * @return {@code image} itself if PNG stores its samples exactly (palette, or grey/RGB with or
     *         without alpha in 1-16 bits per sample, all samples the same size); an 8-bit sRGB copy
     *         if it is RGB with unequal sample sizes (e.g. BMP's 5-6-5), which widening keeps
     *         exact; or {@code null} if PNG cannot hold it without loss (CMYK, float, 32-bit)
     */
    static BufferedImage encodable(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            // PNG palettes hold at most 256 entries; larger ones (16-bit TIFF palettes) become RGB.
            return icm.getMapSize() <= 256 && icm.getPixelSize() <= 8 ? image : argbCopy(image);
        }
        int space = cm.getColorSpace().getType();
        if (space != ColorSpace.TYPE_RGB && space != ColorSpace.TYPE_GRAY) {
            return null;
        }
        int[] sizes = image.getSampleModel().getSampleSize();
        boolean uniform = true;
        for (int s : sizes) {
            uniform &= s == sizes[0];
        }
        int dataType = image.getSampleModel().getDataType();
        boolean integral = dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_USHORT
                || dataType == DataBuffer.TYPE_INT;
        boolean expectedDepth = sizes[0] == 8 || sizes[0] == 16 || space == ColorSpace.TYPE_GRAY && sizes[0] < 8;
        if (integral && uniform && expectedDepth && canEncode(image)) {
            return image;
        }
        if (integral && space == ColorSpace.TYPE_RGB && cm.getColorSpace().isCS_sRGB() && maxOf(sizes) <= 8) {
            return argbCopy(image);
        }
        return null;
    }

    /**
     * An 8-bit copy through the colour model's own {@code getRGB}, exact for colour models of at
     * most 8 bits per sRGB component. (Java2D's drawImage loops widen 5- and 6-bit samples
     * slightly differently.)
     */
    private static BufferedImage argbCopy(BufferedImage image) {
        int width = image.getWidth();
        BufferedImage copy = new BufferedImage(width, image.getHeight(),
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            copy.setRGB(0, y, width, 1, row, 0, width);
        }
        return copy;
    }

    /**
     * @param image an image accepted by {@link #encodable}
     * @return the PNG file
     * @throws IOException if the writer fails
     */
    static byte[] encode(BufferedImage image) throws IOException {
        ImageWriter writer = writer();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0f); // best compression: deflate level 9
            if (param.canWriteProgressive()) {
                param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (RuntimeException e) {
            throw new IOException("PNG writer failed: " + e, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static boolean canEncode(BufferedImage image) {
        ImageWriter writer = writer();
        try {
            return writer.getOriginatingProvider().canEncodeImage(image);
        } finally {
            writer.dispose();
        }
    }

    private static ImageWriter writer() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no PNG writer in this JDK");
        }
        return writers.next();
    }

    private static int maxOf(int[] values) {
        int max = 0;
        for (int v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
