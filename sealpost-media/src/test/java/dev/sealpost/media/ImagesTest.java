package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImagesTest {

    static Stream<Compression> modes() {
        return Stream.of(Compression.lossless(), Compression.jpeg(85), Compression.none());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void prepare_textFileNamedPng_failsNotAnImage(Compression mode) {
        byte[] text = "Dear Bob,\nthis is not a picture at all.\n".getBytes(StandardCharsets.UTF_8);

        ImageException e = assertThrows(ImageException.class, () -> Images.prepare("a.png", text, mode));

        assertEquals("a.png: not an image (unrecognised content)", e.getMessage());
        assertEquals("a.png", e.file());
    }

    @Test
    void prepare_emptyFile_failsNotAnImage() {
        ImageException e = assertThrows(ImageException.class,
                () -> Images.prepare("empty.jpg", new byte[0], Compression.defaultMode()));

        assertEquals("empty.jpg: not an image (unrecognised content)", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void prepare_truncatedPng_failsWithImageException(Compression mode) {
        byte[] png = SampleImages.png(200, 150);
        for (int length : new int[] {8, 20, 40, png.length / 2, png.length - 13, png.length - 1}) {
            byte[] cut = Arrays.copyOf(png, length);

            ImageException e = assertThrows(ImageException.class, () -> Images.prepare("b.png", cut, mode),
                    "cut at " + length);

            assertEquals("b.png: truncated or corrupt PNG", e.getMessage(), "cut at " + length);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void prepare_truncatedJpeg_failsWithImageException(Compression mode) {
        byte[] jpeg = SampleImages.jpeg(200, 150, 85);
        for (int length : new int[] {3, 30, 200, jpeg.length / 2, jpeg.length - 2, jpeg.length - 1}) {
            byte[] cut = Arrays.copyOf(jpeg, length);

            ImageException e = assertThrows(ImageException.class, () -> Images.prepare("b.jpg", cut, mode),
                    "cut at " + length);

            assertEquals("b.jpg: truncated or corrupt JPEG", e.getMessage(), "cut at " + length);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void prepare_truncatedBmp_failsWithImageException(Compression mode) {
        byte[] bmp = TestImages.write(TestImages.Kind.RGB.create(40, 30), "bmp");
        byte[] cut = Arrays.copyOf(bmp, bmp.length - 100);

        ImageException e = assertThrows(ImageException.class, () -> Images.prepare("t.bmp", cut, mode));

        assertEquals("t.bmp: truncated or corrupt BMP", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void prepare_pngWithBadIdatCrc_failsCorrupt(Compression mode) {
        byte[] png = SampleImages.png(64, 48);
        int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.US_ASCII));
        png[idat + 20] ^= 0x55;

        ImageException e = assertThrows(ImageException.class, () -> Images.prepare("crc.png", png, mode));

        assertEquals("crc.png: truncated or corrupt PNG", e.getMessage());
    }

    @Test
    void prepare_pngWithBrokenDeflateButGoodCrc_failsCorruptWhenDecoded() {
        byte[] bomb = hugePng(64, 48, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

        ImageException e = assertThrows(ImageException.class,
                () -> Images.prepare("z.png", bomb, Compression.defaultMode()));

        assertEquals("z.png: truncated or corrupt PNG", e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("modes")
    void prepare_pngHeaderClaiming60000x60000_refusedQuicklyWithPixelLimit(Compression mode) {
        byte[] bomb = hugePng(60_000, 60_000, deflate(new byte[1000]));
        assertTrue(bomb.length < 200);

        ImageException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(ImageException.class, () -> Images.prepare("c.png", bomb, mode)));

        assertEquals("c.png: 60000x60000 pixels exceeds the 100 megapixel limit", e.getMessage());
    }

    @Test
    void prepare_smallerPixelLimit_refusesAboveIt() {
        byte[] png = SampleImages.png(200, 100);

        ImageException e = assertThrows(ImageException.class,
                () -> Images.prepare("s.png", png, Compression.none(), 19_999));

        assertEquals("s.png: 200x100 pixels exceeds the 19999 pixel limit", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"photo.png", "photo.jpg", "dir/photo"})
    void prepare_none_returnsExactBytesNamedForRealFormat(String name) throws Exception {
        byte[] jpeg = SampleImages.jpeg(120, 80, 75);

        PreparedImage out = Images.prepare(name, jpeg, Compression.none());

        assertArrayEquals(jpeg, out.bytes());
        assertEquals("photo.jpg", out.filename());
        assertEquals("image/jpeg", out.mediaType());
        assertEquals(jpeg.length, out.originalSize());
        assertEquals(120, out.width());
        assertEquals(80, out.height());
    }

    @Test
    void prepare_nonePng_returnsExactBytes() throws Exception {
        byte[] png = SampleImages.png(120, 80);

        assertArrayEquals(png, Images.prepare("p.png", png, Compression.none()).bytes());
    }

    @Test
    void prepare_webp_keptAsGivenInLosslessAndNone() throws Exception {
        // JPEG mode decodes WebP (TwelveMonkeys); see ImagesMetadataFormatsTest for a real WebP.
        byte[] webp = WebpHeaderTest.losslessWebp(300, 200);
        for (Compression mode : List.of(Compression.lossless(), Compression.none())) {
            PreparedImage out = Images.prepare("w.webp", webp, mode);

            assertArrayEquals(webp, out.bytes(), mode.toString());
            assertEquals("image/webp", out.mediaType());
            assertEquals(300, out.width());
            assertEquals(200, out.height());
        }
    }

    @Test
    void prepare_file_readsAndUsesBaseName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("scene.png");
        Files.write(file, SampleImages.png(100, 60));

        PreparedImage out = Images.prepare(file, Compression.defaultMode());

        assertEquals("scene.png", out.filename());
        assertEquals(Files.size(file), out.originalSize());
    }

    @Test
    void prepare_missingFile_failsNamingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("d.png");

        ImageException e = assertThrows(ImageException.class, () -> Images.prepare(file, Compression.defaultMode()));

        assertEquals(file + ": cannot read: No such file", e.getMessage());
        assertEquals(file.toString(), e.file());
    }

    @Test
    void prepare_directory_failsNamingIt(@TempDir Path dir) {
        ImageException e = assertThrows(ImageException.class, () -> Images.prepare(dir, Compression.defaultMode()));

        assertEquals(dir + ": cannot read: is a directory", e.getMessage());
    }

    @Test
    void prepare_textFileOnDisk_failsNotAnImage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.png");
        Files.writeString(file, "hello");

        ImageException e = assertThrows(ImageException.class, () -> Images.prepare(file, Compression.defaultMode()));

        assertEquals(file + ": not an image (unrecognised content)", e.getMessage());
    }

    @Test
    void imageException_messageIsOneLine() {
        ImageException e = new ImageException("evil\nname.png", "bad\r\nthing");

        assertEquals("evil?name.png: bad??thing", e.getMessage());
        assertEquals("bad\r\nthing", e.reason());
    }

    /** A PNG of signature, IHDR (8-bit RGB) and one IDAT with {@code idat}, then IEND; all CRCs right. */
    static byte[] hugePng(int width, int height, byte[] idat) {
        byte[] ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put(new byte[] {8, 2, 0, 0, 0}).array();
        return TestImages.concat(PngChunks.SIGNATURE, TestImages.chunk("IHDR", ihdr), TestImages.chunk("IDAT", idat),
                TestImages.chunk("IEND", new byte[0]));
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(9);
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[data.length + 64];
        int n = deflater.deflate(out);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
