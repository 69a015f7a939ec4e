package dev.sealpost.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import javax.imageio.IIOException;
import javax.imageio.ImageReader;

/**
 * Decodes a probed image to pixels with ImageIO, turning every failure (including ImageIO's
 * runtime exceptions) into an {@link ImageException}, and turns the pixels upright according to the
 * EXIF orientation found by {@link MetadataScan}. With the TwelveMonkeys plugins, CMYK and YCCK
 * JPEGs come out as RGB and WebP is decoded.
 */
final class Decoder {
    private Decoder() {}

    /** @return true if images in {@code format} can be decoded here */
    static boolean canDecode(ImageFormat format) {
        return ImageIoReader.available(format);
    }

    /**
     * @param source a probed image; only its first frame is decoded
     * @return its pixels, in the colour model the ImageIO reader chooses (16-bit, grey, palette
     *         and alpha kept as stored), with {@link SourceImage#orientation()} applied
     * @throws ImageException if it cannot be decoded
     */
    static BufferedImage decode(SourceImage source) throws ImageException {
        try (ImageIoReader r = ImageIoReader.open(source.format(), source.data())) {
            ImageReader reader = r.reader();
            // The pixel limit was checked on these dimensions; make sure this reader sees the same.
            if (reader.getWidth(0) != source.width() || reader.getHeight(0) != source.height()) {
                throw new IIOException("dimensions changed between probe and decode");
            }
            BufferedImage image = reader.read(0, reader.getDefaultReadParam());
            return Orientation.apply(image, source.orientation());
        } catch (IIOException e) {
            if (source.format() == ImageFormat.JPEG && "Unsupported Image Type".equals(e.getMessage())) {
                throw source.error("unsupported JPEG colour type (CMYK or YCCK)", e);
            }
            throw source.corrupt(e);
        } catch (IOException | RuntimeException e) {
            throw source.corrupt(e);
        }
    }
}
