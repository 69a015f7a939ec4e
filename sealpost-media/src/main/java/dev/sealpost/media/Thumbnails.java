package dev.sealpost.media;

import java.io.IOException;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * Small previews that travel inside the signed, encrypted envelope, so an inbox can show
 * what a message holds without saving it: JPEG, at most {@value #MAX_SIDE} pixels on the
 * longer side, upright (EXIF orientation applied), transparency flattened onto white, no
 * metadata.
 */
public final class Thumbnails {
    /** The longer side of a thumbnail, at most, in pixels. */
    public static final int MAX_SIDE = 320;
    private static final int QUALITY = 80;

    private Thumbnails() {}

    /**
     * A thumbnail, encoded as JPEG.
     *
     * @param mediaType always {@code image/jpeg}
     * @param bytes     the JPEG file
     * @param width     pixels
     * @param height    pixels
     */
    public record JpegThumbnail(String mediaType, byte[] bytes, int width, int height) {}

    /**
     * Makes the thumbnail of an image that {@link Images#prepare} accepted; for an animation
     * or a multi-page file, of its first frame.
     *
     * @param image a prepared image
     * @return its thumbnail, or empty if its format cannot be decoded here
     * @throws ImageException if the image cannot be decoded or the thumbnail encoded
     */
    public static Optional<JpegThumbnail> of(PreparedImage image) throws ImageException {
        SourceImage source = Probe.probe(image.filename(), image.bytes(), Images.DEFAULT_MAX_PIXELS);
        if (!Decoder.canDecode(source.format())) {
            return Optional.empty();
        }
        try {
            source = source.withMetadata(MetadataScan.scan(source.format(), source.data()), false);
        } catch (IOException e) {
            throw source.corrupt(e);
        }
        BufferedImage small = Resampler.fit(Decoder.decode(source), MAX_SIDE);
        try {
            return Optional.of(new JpegThumbnail(ImageFormat.JPEG.mediaType(), JpegEncoder.encode(small, QUALITY),
                    small.getWidth(), small.getHeight()));
        } catch (IOException e) {
            throw source.error("cannot encode thumbnail: " + e.getMessage(), e);
        }
    }
}
