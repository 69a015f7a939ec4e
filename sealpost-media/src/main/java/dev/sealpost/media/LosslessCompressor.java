package dev.sealpost.media;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * {@code lossless}: exact pixels. PNG is re-encoded at maximum deflate and kept only if smaller;
 * BMP and TIFF become PNG; JPEG, GIF, WebP and animations travel as given.
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
        byte[] png = encode(source, image);
        byte[] colour = original.colourChunks();
        if (colour.length > 0) {
            if (isGrey(PngChunks.colourType(png)) != isGrey(PngChunks.colourType(source.data()))) {
                // A colour profile for RGB would not fit a grey re-encoding, or the reverse.
                return source.keep();
            }
            png = PngChunks.insertAfterHeader(png, colour);
        }
        return png.length < source.data().length ? source.encoded(ImageFormat.PNG, png) : source.keep();
    }

    private static PreparedImage convertToPng(SourceImage source) throws ImageException {
        BufferedImage image = PngEncoder.encodable(Decoder.decode(source));
        if (image == null) {
            return source.keep();
        }
        return source.encoded(ImageFormat.PNG, encode(source, image));
    }

    private static byte[] encode(SourceImage source, BufferedImage image) throws ImageException {
        try {
            return PngEncoder.encode(image);
        } catch (IOException e) {
            throw source.error("cannot encode as PNG: " + e.getMessage(), e);
        }
    }

    private static boolean isGrey(int colourType) {
        return colourType == 0 || colourType == 4;
    }
}
