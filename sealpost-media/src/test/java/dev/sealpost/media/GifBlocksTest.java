package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GifBlocksTest {
    private final byte[] gif = TestImages.write(TestImages.Kind.PALETTE.create(30, 20), "gif");

    @Test
    void strip_plainGif_unchanged() throws IOException {
        MetadataScan scan = GifBlocks.strip(gif);

        assertArrayEquals(gif, scan.stripped());
        assertTrue(scan.found().isEmpty());
    }

    @Test
    void strip_missingTrailer_addsIt() throws IOException {
        assertArrayEquals(gif, GifBlocks.strip(Arrays.copyOf(gif, gif.length - 1)).stripped());
    }

    @Test
    void strip_truncatedInImageData_fails() {
        assertThrows(IOException.class, () -> GifBlocks.strip(Arrays.copyOf(gif, gif.length - 10)));
    }

    @Test
    void strip_unknownBlock_fails() {
        byte[] bad = TestImages.concat(Arrays.copyOf(gif, gif.length - 1), new byte[] {0x42, 0x3B});

        assertThrows(IOException.class, () -> GifBlocks.strip(bad));
    }
}
