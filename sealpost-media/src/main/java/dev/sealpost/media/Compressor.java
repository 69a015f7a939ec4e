package dev.sealpost.media;

/**
 * One compression mode: turns a probed image into what is sent. One implementation per
 * {@link Compression.Mode}; a new mode (say WebP) is a new implementation here.
 */
interface Compressor {

    /**
     * @param source a probed image
     * @return the image to send
     * @throws ImageException if it cannot be decoded or encoded
     */
    PreparedImage compress(SourceImage source) throws ImageException;

    /** @return the compressor for {@code compression} */
    static Compressor of(Compression compression) {
        return switch (compression.mode()) {
            case LOSSLESS -> new LosslessCompressor();
            case JPEG -> new JpegCompressor(compression.quality());
            case NONE -> SourceImage::keep;
        };
    }
}
