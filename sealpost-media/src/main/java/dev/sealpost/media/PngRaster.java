package dev.sealpost.media;

/**
 * Pixels laid out as one PNG image type, before filtering: the IHDR fields that describe them,
 * the palette if any, and the raw scanlines, non-interlaced, each {@link #rowBytes()} long
 * (PNG 3rd edition, W3C 2025 / ISO/IEC 15948, 6.1 "Colour types and values" and 7.2
 * "Scanlines": samples big-endian, sub-byte pixels packed from the most significant bit,
 * each row starting on a byte boundary).
 *
 * @param width      in pixels
 * @param height     in pixels
 * @param colourType 0 grey, 2 RGB, 3 palette, 4 grey and alpha, 6 RGBA
 * @param bitDepth   bits per sample (per index for palette): 1, 2, 4, 8 or 16
 * @param palette    for colour type 3, the PLTE data (RGB triples); otherwise null
 * @param alphas     for colour type 3, the tRNS data (alpha of the first entries; the rest are
 *                   opaque), null when every entry is opaque; otherwise null
 * @param rows       {@code height * rowBytes()} bytes of scanlines, without filter-type bytes
 */
record PngRaster(int width, int height, int colourType, int bitDepth, byte[] palette, byte[] alphas, byte[] rows) {

    /** @return samples per pixel for the colour type */
    int channels() {
        return switch (colourType) {
            case 0, 3 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            case 6 -> 4;
            default -> throw new IllegalStateException("colour type " + colourType);
        };
    }

    /** @return bytes per scanline, not counting the filter-type byte */
    int rowBytes() {
        return (int) (((long) width * channels() * bitDepth + 7) / 8);
    }

    /**
     * @return the filter distance in bytes: bytes per complete pixel, rounded up to 1 for
     *         sub-byte pixels (PNG 3rd edition 9.2 "Filter types for filter method 0", {@code bpp})
     */
    int filterDistance() {
        return Math.max(1, channels() * bitDepth / 8);
    }

    @Override
    public String toString() {
        return "PngRaster[" + width + "x" + height + ", colour type " + colourType + ", " + bitDepth + " bit"
                + (palette != null ? ", " + palette.length / 3 + " colours" : "") + "]";
    }
}
