package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {
    @Test
    void of_largePhoto_isJpegWithin320PixelsKeepingAspect() throws IOException {
        PreparedImage photo = Images.prepare("photo.jpg", SampleImages.jpeg(1600, 1200, 90), Compression.lossless());

        Thumbnails.JpegThumbnail t = Thumbnails.of(photo).orElseThrow();

        assertEquals("image/jpeg", t.mediaType());
        assertEquals(320, t.width());
        assertEquals(240, t.height());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(t.bytes()));
        assertEquals(320, decoded.getWidth());
        assertTrue(t.bytes().length < photo.bytes().length / 5, "a thumbnail is small: " + t.bytes().length);
    }

    @Test
    void of_smallPng_keepsItsSize() throws IOException {
        PreparedImage icon = Images.prepare("icon.png", SampleImages.png(100, 40), Compression.lossless());
        Thumbnails.JpegThumbnail t = Thumbnails.of(icon).orElseThrow();
        assertEquals(100, t.width());
        assertEquals(40, t.height());
    }

    @Test
    void prepare_maxSize_downscalesLongerSideAndKeepsJpegAsJpeg() throws IOException {
        MediaOptions opts = MediaOptions.defaults(Compression.lossless()).withMaxSize(800);

        PreparedImage photo = Images.prepare("photo.jpg", SampleImages.jpeg(1600, 1200, 90), opts);
        PreparedImage drawing = Images.prepare("plan.png", SampleImages.png(600, 1200), opts);
        PreparedImage small = Images.prepare("small.png", SampleImages.png(300, 200), opts);

        assertEquals(ImageFormat.JPEG, photo.format());
        assertEquals(800, photo.width());
        assertEquals(600, photo.height());
        assertEquals(ImageFormat.PNG, drawing.format());
        assertEquals(400, drawing.width());
        assertEquals(800, drawing.height());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(drawing.bytes()));
        assertEquals(800, decoded.getHeight());
        assertEquals(300, small.width(), "images within the limit are not touched");
    }
}
