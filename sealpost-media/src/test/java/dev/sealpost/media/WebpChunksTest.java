package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class WebpChunksTest {

    @Test
    void strip_simpleWebp_unchanged() throws IOException {
        byte[] webp = WebpHeaderTest.losslessWebp(30, 20);

        assertArrayEquals(webp, WebpChunks.strip(webp).stripped());
    }

    @Test
    void strip_unknownChunkAndTrailer_dropped() throws IOException {
        byte[] extended = ImagesMetadataFormatsTest.webpWithExif(1);
        byte[] body = TestImages.concat(java.util.Arrays.copyOfRange(extended, 8, extended.length),
                ImagesMetadataFormatsTest.riffChunk("ZZZZ", new byte[] {1, 2, 3}));
        byte[] input = TestImages.concat(MetadataSamples.bytes("RIFF"),
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).array(), body,
                MetadataSamples.bytes("after"));

        MetadataScan scan = WebpChunks.strip(input);

        assertEquals(52, scan.stripped().length);
        assertEquals(EnumSet.of(MetadataKind.GPS, MetadataKind.CAMERA, MetadataKind.AUTHOR, MetadataKind.DATE,
                MetadataKind.EXIF, MetadataKind.XMP, MetadataKind.OTHER), scan.found());
    }

    @Test
    void strip_chunkPastRiffSize_fails() {
        byte[] webp = ImagesMetadataFormatsTest.webpWithExif(1);
        ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 40);

        assertThrows(IOException.class, () -> WebpChunks.strip(webp));
    }
}
