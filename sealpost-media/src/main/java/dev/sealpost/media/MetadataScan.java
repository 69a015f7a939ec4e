package dev.sealpost.media;

import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a file carries besides its pixels, and the file without it: the result of walking its
 * container (JPEG segments, PNG chunks, GIF blocks, WebP RIFF chunks) without decoding.
 *
 * @param stripped    the file with metadata removed (pixels, colour information and a minimal
 *                    orientation kept), or null where the format cannot be stripped at this level
 *                    (TIFF, which is converted to PNG instead)
 * @param found       the kinds of metadata the input carries, in {@link MetadataKind} order
 * @param orientation the EXIF orientation of the input, 1..8 (1 when absent)
 */
record MetadataScan(byte[] stripped, Set<MetadataKind> found, int orientation) {

    MetadataScan {
        found = found.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(found));
        if (orientation < 1 || orientation > 8) {
            orientation = 1;
        }
    }

    /**
     * @param format the format detected by {@link Probe}
     * @param data   a whole file that passed {@link Probe}
     * @return what it carries, and the stripped file
     * @throws IOException if the container structure is broken
     */
    static MetadataScan scan(ImageFormat format, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        return switch (format) {
            case JPEG -> JpegSegments.strip(data);
            case PNG -> PngChunks.parse(data).strip();
            case GIF -> GifBlocks.strip(data);
            case WEBP -> WebpChunks.strip(data);
            case TIFF -> {
                Exif.Info info = Exif.readTiffFile(data);
                yield new MetadataScan(null, info.kinds(), info.orientation());
            }
            case BMP -> new MetadataScan(data, Set.of(), 1);
        };
    }

    /** @return true if any byte of {@code data} from {@code from} on is neither 0x00 nor 0xFF */
    static boolean hasContent(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] != 0 && data[i] != (byte) 0xFF) {
                return true;
            }
        }
        return false;
    }

    /** @return an empty, modifiable set for collecting kinds */
    static EnumSet<MetadataKind> kinds() {
        return EnumSet.noneOf(MetadataKind.class);
    }
}
