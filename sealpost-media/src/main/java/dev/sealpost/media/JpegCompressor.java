package dev.sealpost.media;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * {@code jpeg:Q}: decoded and re-encoded as JPEG at quality Q, transparency flattened onto white.
 * A JPEG input is kept (minus metadata) if re-encoding does not make it smaller. Animations, and
 * formats without an installed decoder, travel as given (minus metadata).
 */
final class JpegCompressor implements Compressor {
    private final int quality;

    JpegCompressor(int quality) {
        this.quality = quality;
    }

    @Override
    public PreparedImage compress(SourceImage source) throws ImageException {
        if (source.multiFrame() || !Decoder.canDecode(source.format())) {
            return source.keep();
        }
        BufferedImage image = Decoder.decode(source);
        byte[] jpeg;
        try {
            jpeg = JpegEncoder.encode(image, quality);
        } catch (IOException e) {
            throw source.error("cannot encode as JPEG: " + e.getMessage(), e);
        }
        if (source.format() == ImageFormat.JPEG && jpeg.length >= source.data().length) {
            return source.keep();
        }
        return source.encoded(ImageFormat.JPEG, jpeg);
    }
}
