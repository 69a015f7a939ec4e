package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebpHeaderTest {

    /** RIFF container with a VP8L chunk whose header gives the size; the bitstream is padding. */
    static byte[] losslessWebp(int width, int height) {
        int bits = (width - 1) | (height - 1) << 14;
        byte[] vp8l = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0x2F).putInt(bits).array();
        return riff("VP8L", vp8l);
    }

    static byte[] riff(String fourcc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + payload.length)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(fourcc.getBytes(StandardCharsets.US_ASCII))
                .putInt(payload.length).put(payload);
        return b.array();
    }

    @Test
    void parse_vp8l_readsSize() throws IOException {
        assertEquals(new WebpHeader(300, 200, false), WebpHeader.parse(losslessWebp(300, 200)));
    }

    @Test
    void parse_vp8_readsSize() throws IOException {
        byte[] vp8 = {0x10, 0x02, 0x00, (byte) 0x9D, 0x01, 0x2A, (byte) 0x80, 0x02, (byte) 0xE0, 0x01, 0, 0};

        assertEquals(new WebpHeader(640, 480, false), WebpHeader.parse(riff("VP8 ", vp8)));
    }

    @Test
    void parse_vp8xAnimated_readsCanvasAndFlag() throws IOException {
        byte[] vp8x = {0x02, 0, 0, 0, (byte) 0xFF, 0x0F, 0, 0x0F, 0x27, 0};

        assertEquals(new WebpHeader(4096, 10000, true), WebpHeader.parse(riff("VP8X", vp8x)));
    }

    @Test
    void parse_riffSizeBeyondFile_failsTruncated() {
        byte[] webp = losslessWebp(10, 10);

        assertThrows(IOException.class, () -> WebpHeader.parse(Arrays.copyOf(webp, webp.length - 4)));
    }

    @Test
    void parse_unknownChunk_fails() {
        assertThrows(IOException.class, () -> WebpHeader.parse(riff("ABCD", new byte[16])));
    }

    @Test
    void prepare_vp8xOverPixelLimit_refused() {
        byte[] vp8x = {0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

        ImageException e = assertThrows(ImageException.class,
                () -> Images.prepare("big.webp", riff("VP8X", vp8x), Compression.none()));

        assertEquals("big.webp: 16777216x16777216 pixels exceeds the 100 megapixel limit", e.getMessage());
    }
}
