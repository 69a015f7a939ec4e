package dev.sealpost.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes the seed corpus of {@link ImagesFuzzTest} into src/test/resources: small images of
 * every format, some with metadata. Run once by hand from the module folder:
 * <pre>
 * ./mvnw -o -q -pl sealpost-media -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * cd sealpost-media &amp;&amp; java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.sealpost.media.FuzzSeeds
 * </pre>
 */
final class FuzzSeeds {
    private FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path res = Path.of("src/test/resources/dev/sealpost/media/ImagesFuzzTestInputs");
        BufferedImage small = TestImages.draw(new BufferedImage(12, 8, BufferedImage.TYPE_INT_ARGB));
        BufferedImage rgb = TestImages.draw(new BufferedImage(12, 8, BufferedImage.TYPE_INT_RGB));
        byte[] png = TestImages.write(small, "png");
        byte[] jpeg = TestImages.write(rgb, "jpeg");
        byte[] jpegExif = MetadataSamples.withSegmentsAfterApp0(jpeg,
                MetadataSamples.exifApp1(MetadataSamples.cameraExif(ByteOrder.BIG_ENDIAN, 6)), MetadataSamples.xmpApp1());
        byte[] gif = TestImages.write(rgb, "gif");
        byte[] bmp = TestImages.write(rgb, "bmp");
        byte[] tiff = TestImages.write(rgb, "tiff");
        byte[] webp = ImagesMetadataFormatsTest.webpWithExif(6);
        byte[] pngText = TestImages.withChunksAfterHeader(png, TestImages.chunk("tEXt", MetadataSamples.bytes("Author\0me")));
        byte[] exifLe = MetadataSamples.cameraExif(ByteOrder.LITTLE_ENDIAN, 3);

        Map<String, byte[]> all = Map.of("a.png", png, "text.png", pngText, "a.jpg", jpeg, "exif.jpg", jpegExif,
                "a.gif", gif, "a.bmp", bmp, "a.tiff", tiff, "exif.webp", webp, "truncated.png", Arrays.copyOf(png, png.length / 2));
        all.forEach((name, bytes) -> {
            write(res.resolve("probe").resolve(name), bytes);
            write(res.resolve("prepare").resolve(name), bytes);
        });
        write(res.resolve("pngChunks/a.png"), png);
        write(res.resolve("pngChunks/text.png"), pngText);
        write(res.resolve("jpegSegments/a.jpg"), jpeg);
        write(res.resolve("jpegSegments/exif.jpg"), jpegExif);
        write(res.resolve("gifBlocks/a.gif"), gif);
        write(res.resolve("webpChunks/exif.webp"), webp);
        write(res.resolve("tiffExif/a.tiff"), tiff);
        write(res.resolve("tiffExif/camera-be.exif"), MetadataSamples.cameraExif(ByteOrder.BIG_ENDIAN, 6));
        write(res.resolve("tiffExif/camera-le.exif"), exifLe);
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
