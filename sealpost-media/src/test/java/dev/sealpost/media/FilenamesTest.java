package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilenamesTest {

    @ParameterizedTest
    @CsvSource({
        "a.png, PNG, a.png",
        "dir/sub/a.png, PNG, a.png",
        "C:\\Users\\me\\b.PNG, PNG, b.PNG",
        "scan.bmp, PNG, scan.png",
        "photo.jpeg, JPEG, photo.jpeg",
        "photo.JPG, JPEG, photo.JPG",
        "photo.png, JPEG, photo.jpg",
        "noext, PNG, noext.png",
        ".hidden, PNG, .hidden.png",
        "archive.tar.gz, GIF, archive.tar.gif",
        "'', PNG, image.png",
        "dir/, WEBP, image.webp",
        "../.., PNG, image.png",
        "x.tif, TIFF, x.tif"
    })
    void attachmentName_baseNameWithMatchingExtension(String given, ImageFormat format, String expected) {
        assertEquals(expected, Filenames.attachmentName(given, format));
    }

    @org.junit.jupiter.api.Test
    void attachmentName_controlCharacters_replaced() {
        assertEquals("a_b.png", Filenames.attachmentName("a\nb.png", ImageFormat.PNG));
    }
}
