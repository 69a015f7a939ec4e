package dev.sealpost.media;

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
}
