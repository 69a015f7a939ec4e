package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageFormatTest {

    @Test
    void detect_realFiles_recognised() {
        BufferedImage image = TestImages.Kind.RGB.create(20, 10);
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.detect(TestImages.write(image, "png")));
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.detect(TestImages.write(image, "jpeg")));
        assertEquals(Optional.of(ImageFormat.GIF), ImageFormat.detect(TestImages.write(image, "gif")));
        assertEquals(Optional.of(ImageFormat.BMP), ImageFormat.detect(TestImages.write(image, "bmp")));
        assertEquals(Optional.of(ImageFormat.TIFF), ImageFormat.detect(TestImages.write(image, "tiff")));
        assertEquals(Optional.of(ImageFormat.WEBP), ImageFormat.detect(WebpHeaderTest.losslessWebp(20, 10)));
    }

    @Test
    void detect_first16Bytes_enough() {
        byte[] png = SampleImages.png(20, 10);

        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.detect(Arrays.copyOf(png, 16)));
    }

    @Test
    void detect_bigEndianTiff_recognised() {
        assertEquals(Optional.of(ImageFormat.TIFF), ImageFormat.detect(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello world, not an image", "BMP is a format name", "GIF90a............",
        "RIFF....WAVEfmt ", "<svg xmlns='http://www.w3.org/2000/svg'/>", "%PDF-1.7\n"})
    void detect_otherContent_empty(String text) {
        assertEquals(Optional.empty(), ImageFormat.detect(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void detect_truncatedSignature_empty() {
        assertEquals(Optional.empty(), ImageFormat.detect(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
        assertEquals(Optional.empty(), ImageFormat.detect(new byte[] {(byte) 0xFF, (byte) 0xD8}));
    }

    @Test
    void mediaTypeAndExtension() {
        assertEquals("image/png", ImageFormat.PNG.mediaType());
        assertEquals("png", ImageFormat.PNG.extension());
        assertEquals("image/jpeg", ImageFormat.JPEG.mediaType());
        assertEquals("jpg", ImageFormat.JPEG.extension());
        assertEquals("image/webp", ImageFormat.WEBP.mediaType());
        assertEquals("image/tiff", ImageFormat.TIFF.mediaType());
        assertEquals("image/gif", ImageFormat.GIF.mediaType());
        assertEquals("image/bmp", ImageFormat.BMP.mediaType());
    }
}
