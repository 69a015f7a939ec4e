package dev.sealpost.media;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PngChunksTest {
    private final byte[] png = TestImages.png(TestImages.Kind.RGB.create(20, 10), 0f, false);

    @Test
    void parse_wellFormedPng_listsChunksToIend() throws IOException {
        List<PngChunks.Chunk> chunks = PngChunks.parse(TestImages.concat(png, new byte[] {1, 2, 3})).chunks();

        assertEquals("IHDR", chunks.get(0).type());
        assertEquals("IEND", chunks.get(chunks.size() - 1).type());
        assertTrue(chunks.stream().allMatch(PngChunks.Chunk::crcOk));
    }

    @Test
    void parse_missingIend_fails() {
        assertThrows(IOException.class, () -> PngChunks.parse(Arrays.copyOf(png, png.length - 12)));
    }

    @Test
    void parse_badCrcInAncillaryChunk_tolerated() throws IOException {
        byte[] text = TestImages.chunk("tEXt", "a\0b".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        text[text.length - 1] ^= 1;

        PngChunks chunks = PngChunks.parse(TestImages.withChunksAfterHeader(png, text));

        assertFalse(chunks.chunks().get(1).crcOk());
    }

    @Test
    void parse_hugeChunkLength_failsWithoutAllocating() {
        byte[] bad = TestImages.withChunksAfterHeader(png, new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            'z', 'z', 'z', 'z'});

        assertThrows(IOException.class, () -> PngChunks.parse(bad));
    }

    @Test
    void parse_noIdat_fails() {
        byte[] headerOnly = TestImages.concat(Arrays.copyOf(png, 33), TestImages.chunk("IEND", new byte[0]));

        assertThrows(IOException.class, () -> PngChunks.parse(headerOnly));
    }

    @Test
    void animated_acTlBeforeIdat_true() throws IOException {
        byte[] apng = TestImages.withChunksAfterHeader(png, TestImages.chunk("acTL", new byte[8]));

        assertTrue(PngChunks.parse(apng).animated());
        assertFalse(PngChunks.parse(png).animated());
    }

    @Test
    void colourChunks_onlyColourChunksVerbatim() throws IOException {
        byte[] gama = TestImages.chunk("gAMA", new byte[] {0, 0, (byte) 0xB1, (byte) 0x8F});
        byte[] time = TestImages.chunk("tIME", new byte[7]);
        byte[] iccp = TestImages.chunk("iCCP", new byte[] {'p', 0, 0, 1, 2, 3});

        PngChunks chunks = PngChunks.parse(TestImages.withChunksAfterHeader(png, gama, time, iccp));

        assertArrayEquals(TestImages.concat(gama, iccp), chunks.colourChunks());
    }

    @Test
    void insertAfterHeader_keepsPngValid() throws IOException {
        byte[] gama = TestImages.chunk("gAMA", new byte[] {0, 0, (byte) 0xB1, (byte) 0x8F});

        byte[] out = PngChunks.insertAfterHeader(png, gama);

        assertEquals(List.of("IHDR", "gAMA"), TestImages.chunkTypes(out).subList(0, 2));
        PngChunks.parse(out);
        TestImages.assertSamePixels(TestImages.read(png), TestImages.read(out));
    }

    @Test
    void strip_keepsPixelAndColourChunksDropsTextBadCrcAndTrailer() throws IOException {
        byte[] badText = TestImages.chunk("tEXt", "a\0b".getBytes(StandardCharsets.ISO_8859_1));
        badText[badText.length - 1] ^= 1;
        byte[] input = TestImages.concat(TestImages.withChunksAfterHeader(png,
                TestImages.chunk("gAMA", new byte[] {0, 0, (byte) 0xB1, (byte) 0x8F}),
                TestImages.chunk("pHYs", new byte[] {0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1}),
                TestImages.chunk("zTXt", "Comment\0\0x".getBytes(StandardCharsets.ISO_8859_1)), badText,
                TestImages.chunk("vpAg", new byte[9])), "trailing".getBytes(StandardCharsets.ISO_8859_1));

        MetadataScan scan = PngChunks.parse(input).strip();

        assertEquals(List.of("IHDR", "gAMA", "pHYs", "IDAT", "IEND"), TestImages.chunkTypes(scan.stripped()));
        assertEquals(EnumSet.of(MetadataKind.COMMENT, MetadataKind.OTHER), scan.found());
        assertTrue(PngChunks.parse(scan.stripped()).chunks().stream().allMatch(PngChunks.Chunk::crcOk));
    }

    @Test
    void strip_eXIfWithOrientation_replacedByMinimalChunkAfterHeader() throws IOException {
        byte[] input = TestImages.withChunksAfterHeader(png,
                TestImages.chunk("eXIf", MetadataSamples.cameraExif(java.nio.ByteOrder.LITTLE_ENDIAN, 5)));

        MetadataScan scan = PngChunks.parse(input).strip();

        assertEquals(5, scan.orientation());
        byte[] expected = TestImages.withChunksAfterHeader(png,
                PngChunks.chunk("eXIf", Exif.minimal(5, java.nio.ByteOrder.LITTLE_ENDIAN)));
        assertArrayEquals(expected, scan.stripped());
        assertTrue(scan.found().contains(MetadataKind.GPS));
    }

    @Test
    void chunk_matchesTestChunkBuilder() {
        byte[] data = {1, 2, 3};

        assertArrayEquals(TestImages.chunk("abCD", data), PngChunks.chunk("abCD", data));
    }
}
