package dev.sealpost.media;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * {@code lossless}: exact pixels. PNG is re-encoded by {@link PngOptimizer} (smaller image type,
 * best filter and deflate strategy, non-interlaced) and kept only if smaller; BMP and TIFF become
 * PNG; JPEG, GIF, WebP and animations travel as given.
 */
final class LosslessCompressor implements Compressor {

    @Override
    public PreparedImage compress(SourceImage source) throws ImageException {
        if (source.multiFrame()) {
            return source.keep();
        }
        return switch (source.format()) {
            case PNG -> recompressPng(source);
            case BMP, TIFF -> convertToPng(source);
            case JPEG, GIF, WEBP -> source.keep();
        };
    }

    private static PreparedImage recompressPng(SourceImage source) throws ImageException {
        PngChunks original;
        try {
            original = PngChunks.parse(source.data());
        } catch (IOException e) {
            throw source.corrupt(e);
        }
        BufferedImage image = PngEncoder.encodable(Decoder.decode(source));
        if (image == null) {
            return source.keep();
        }
        byte[] png = encode(source, image, original.colourChunks(), PngChunks.colourType(source.data()));
        // Never larger than the original: an already optimal file travels as it is.
        return png != null && png.length < source.data().length ? source.encoded(ImageFormat.PNG, png) : source.keep();
    }

    private static PreparedImage convertToPng(SourceImage source) throws ImageException {
        BufferedImage image = PngEncoder.encodable(Decoder.decode(source));
        if (image == null) {
            return source.keep();
        }
        byte[] png = encode(source, image, new byte[0], -1);
        return png != null ? source.encoded(ImageFormat.PNG, png) : source.keep();
    }

    /**
     * @param colour           colour chunks to carry over, possibly none
     * @param sourceColourType the IHDR colour type of a PNG source, -1 for other formats
     * @return the smallest PNG {@link PngOptimizer} finds; for colour models it does not read,
     *         ImageIO's PNG; null if that cannot carry the colour chunks
     */
    private static byte[] encode(SourceImage source, BufferedImage image, byte[] colour, int sourceColourType)
            throws ImageException {
        byte[] png = PngOptimizer.optimize(image, colour, sourceColourType);
        if (png != null) {
            return png;
        }
        try {
            png = PngEncoder.encode(image);
        } catch (IOException e) {
            throw source.error("cannot encode as PNG: " + e.getMessage(), e);
        }
        if (colour.length > 0 && isGrey(PngChunks.colourType(png)) != isGrey(sourceColourType)) {
            // A colour profile for RGB would not fit a grey re-encoding, or the reverse.
            return null;
        }
        return PngChunks.insertAfterHeader(png, colour);
    }

    private static boolean isGrey(int colourType) {
        return colourType == 0 || colourType == 4;
    }
}
