package dev.sealpost.media;

import java.util.List;
import java.util.EnumSet;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

class JpegSegmentsTest {
    private final byte[] jpeg = SampleImages.jpeg(64, 48, 85);

    @Test
    void check_wholeJpeg_passes() {
        assertDoesNotThrow(() -> JpegSegments.check(jpeg));
    }

    @Test
    void check_trailingBytesAfterEoi_pass() {
        assertDoesNotThrow(() -> JpegSegments.check(TestImages.concat(jpeg, new byte[] {0, 0, 0})));
    }

    @Test
    void check_greyJpeg_passes() {
        byte[] grey = TestImages.write(TestImages.Kind.GREY.create(33, 17), "jpeg");

        assertDoesNotThrow(() -> JpegSegments.check(grey));
    }

    @Test
    void check_progressiveJpeg_passesWholeAndFailsCut() {
        byte[] progressive = progressive(TestImages.Kind.RGB.create(120, 80));

        assertDoesNotThrow(() -> JpegSegments.check(progressive));
        assertThrows(IOException.class, () -> JpegSegments.check(Arrays.copyOf(progressive, progressive.length * 2 / 3)));
    }

    static byte[] progressive(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    @Test
    void check_everyTruncation_fails() {
        for (int length = 0; length < jpeg.length; length += Math.max(1, jpeg.length / 300)) {
            byte[] cut = Arrays.copyOf(jpeg, length);
            assertThrows(IOException.class, () -> JpegSegments.check(cut), "cut at " + length);
        }
        assertThrows(IOException.class, () -> JpegSegments.check(Arrays.copyOf(jpeg, jpeg.length - 1)));
    }

    @Test
    void check_segmentLengthBeyondFile_fails() {
        byte[] bad = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0x7F, (byte) 0xFF, 0, 0, 0};

        assertThrows(IOException.class, () -> JpegSegments.check(bad));
    }

    @Test
    void check_eoiWithoutScan_fails() {
        byte[] bad = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9};

        assertThrows(IOException.class, () -> JpegSegments.check(bad));
    }

    @Test
    void strip_jfifThumbnailMpfAndTrailer_removedPixelsIntact() throws IOException {
        byte[] thumbnailJfif = MetadataSamples.segment(0xE0, TestImages.concat(MetadataSamples.bytes("JFIF\0"),
                new byte[] {1, 2, 0, 0, 1, 0, 1, 2, 1}, new byte[6]));
        byte[] withoutApp0 = Arrays.copyOfRange(jpeg, 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF)), jpeg.length);
        byte[] input = TestImages.concat(new byte[] {(byte) 0xFF, (byte) 0xD8}, thumbnailJfif,
                MetadataSamples.segment(0xE2, MetadataSamples.bytes("MPF\0II*\0")),
                MetadataSamples.segment(0xE5, MetadataSamples.bytes("vendor data")),
                MetadataSamples.segment(0xEE, MetadataSamples.bytes("NotAdobe")),
                withoutApp0, MetadataSamples.bytes("appended motion-photo video"));

        MetadataScan scan = JpegSegments.strip(input);

        byte[] out = scan.stripped();
        assertEquals(List.of(0xE0, 0xDB), MetadataSamples.markersBeforeScan(out).subList(0, 2));
        assertEquals(18, 2 + ((out[4] & 0xFF) << 8 | (out[5] & 0xFF)), "JFIF APP0 without thumbnail");
        assertEquals(0, out[18] | out[19], "thumbnail size 0x0");
        assertFalse(MetadataSamples.contains(out, "motion-photo") || MetadataSamples.contains(out, "vendor"));
        assertEquals(0xD9, out[out.length - 1] & 0xFF);
        assertArrayEquals(MetadataSamples.fromFirstScan(jpeg), MetadataSamples.fromFirstScan(out));
        assertEquals(EnumSet.of(MetadataKind.THUMBNAIL, MetadataKind.OTHER), scan.found());
        JpegSegments.check(out);
    }

    @Test
    void strip_plainJpeg_unchanged() throws IOException {
        MetadataScan scan = JpegSegments.strip(jpeg);

        assertArrayEquals(jpeg, scan.stripped());
        assertTrue(scan.found().isEmpty());
        assertEquals(1, scan.orientation());
    }

    @Test
    void strip_progressiveJpeg_keepsEveryScan() throws IOException {
        byte[] plain = progressive(TestImages.Kind.RGB.create(120, 80));
        byte[] commented = TestImages.concat(Arrays.copyOf(plain, 2), MetadataSamples.segment(0xFE,
                MetadataSamples.bytes("hello")), Arrays.copyOfRange(plain, 2, plain.length));

        byte[] out = JpegSegments.strip(commented).stripped();

        assertArrayEquals(plain, out);
    }
}
