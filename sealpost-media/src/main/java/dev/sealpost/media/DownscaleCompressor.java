package dev.sealpost.media;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * {@code --max-size PX}: an image whose upright longer side exceeds the limit is decoded,
 * downscaled with {@link Resampler} and encoded again — as JPEG at the requested quality in
 * {@code jpeg:Q} mode; in {@code lossless} mode as PNG, except a JPEG source, which stays
 * JPEG (quality {@value #JPEG_SOURCE_QUALITY}) because its pixels stored as PNG only grow.
 * Smaller images, animations and undecodable formats go to the wrapped mode unchanged.
 */
final class DownscaleCompressor implements Compressor {
    static final int JPEG_SOURCE_QUALITY = 92;

    private final Compressor next;
    private final Compression compression;
    private final int maxSide;

    DownscaleCompressor(Compressor next, Compression compression, int maxSide) {
        this.next = next;
        this.compression = compression;
        this.maxSide = maxSide;
    }

    @Override
    public PreparedImage compress(SourceImage source) throws ImageException {
        if (source.multiFrame() || Math.max(source.width(), source.height()) <= maxSide
                || !Decoder.canDecode(source.format())) {
            return next.compress(source);
        }
        BufferedImage small = Resampler.fit(Decoder.decode(source), maxSide);
        boolean asJpeg = compression.mode() == Compression.Mode.JPEG || source.format() == ImageFormat.JPEG;
        try {
            byte[] bytes;
            ImageFormat format;
            if (asJpeg) {
                int q = compression.mode() == Compression.Mode.JPEG ? compression.quality() : JPEG_SOURCE_QUALITY;
                bytes = JpegEncoder.encode(small, q);
                format = ImageFormat.JPEG;
            } else {
                BufferedImage encodable = PngEncoder.encodable(small);
                bytes = PngOptimizer.optimize(encodable, new byte[0], -1);
                if (bytes == null) {
                    bytes = PngEncoder.encode(encodable);
                }
                format = ImageFormat.PNG;
            }
            return new PreparedImage(Filenames.attachmentName(source.name(), format), format.mediaType(), bytes,
                    source.originalSize(), small.getWidth(), small.getHeight(), format, source.metadata(), false);
        } catch (IOException e) {
            throw source.error("cannot encode the downscaled image: " + e.getMessage(), e);
        }
    }
}
