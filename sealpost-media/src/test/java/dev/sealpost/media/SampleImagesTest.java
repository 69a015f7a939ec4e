package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SampleImagesTest {

    @Test
    void png_hasRequestedSizeAndIsPng() {
        byte[] png = SampleImages.png(1024, 768);

        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.detect(png));
        BufferedImage image = TestImages.read(png);
        assertEquals(1024, image.getWidth());
        assertEquals(768, image.getHeight());
    }

    @Test
    void jpeg_hasRequestedSizeAndIsJpeg() {
        byte[] jpeg = SampleImages.jpeg(333, 222, 80);

        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.detect(jpeg));
        BufferedImage image = TestImages.read(jpeg);
        assertEquals(333, image.getWidth());
        assertEquals(222, image.getHeight());
    }

    @Test
    void sameArguments_sameBytes() {
        assertArrayEquals(SampleImages.png(200, 100), SampleImages.png(200, 100));
        assertArrayEquals(SampleImages.jpeg(200, 100, 70), SampleImages.jpeg(200, 100, 70));
    }

    @Test
    void pngCompressesWellAndPhotoDoesNot() {
        byte[] scene = SampleImages.png(400, 300);
        byte[] photoAsPng = TestImages.write(TestImages.read(SampleImages.jpeg(400, 300, 90)), "png");

        assertTrue(scene.length < 400 * 300 / 4, "scene " + scene.length);
        assertTrue(photoAsPng.length > 400 * 300, "photo as PNG " + photoAsPng.length);
    }

    @Test
    void tinySizes_work() {
        assertEquals(1, TestImages.read(SampleImages.png(1, 1)).getWidth());
        assertEquals(1, TestImages.read(SampleImages.jpeg(1, 1, 50)).getHeight());
    }

    @Test
    void badArguments_rejected() {
        assertThrows(IllegalArgumentException.class, () -> SampleImages.png(0, 10));
        assertThrows(IllegalArgumentException.class, () -> SampleImages.png(10, 20_000));
        assertThrows(IllegalArgumentException.class, () -> SampleImages.jpeg(10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> SampleImages.jpeg(10, 10, 101));
    }
}
