package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrientationTest {

    /**
     * The stored 3x2 picture {@code [[0, 1, 2], [10, 11, 12]]} as it must look upright, per the
     * Exif 2.32 Orientation definitions (where the 0th row and 0th column of the stored image go).
     */
    static Stream<Arguments> upright() {
        return Stream.of(
                Arguments.of(1, new int[][] {{0, 1, 2}, {10, 11, 12}}),
                Arguments.of(2, new int[][] {{2, 1, 0}, {12, 11, 10}}),
                Arguments.of(3, new int[][] {{12, 11, 10}, {2, 1, 0}}),
                Arguments.of(4, new int[][] {{10, 11, 12}, {0, 1, 2}}),
                Arguments.of(5, new int[][] {{0, 10}, {1, 11}, {2, 12}}),
                Arguments.of(6, new int[][] {{10, 0}, {11, 1}, {12, 2}}),
                Arguments.of(7, new int[][] {{12, 2}, {11, 1}, {10, 0}}),
                Arguments.of(8, new int[][] {{2, 12}, {1, 11}, {0, 10}}));
    }

    @ParameterizedTest(name = "orientation {0}")
    @MethodSource("upright")
    void apply_eachOrientation_turnsPixelsUpright(int orientation, int[][] expected) {
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                stored.getRaster().setSample(x, y, 0, x + 10 * y);
            }
        }

        BufferedImage upright = Orientation.apply(stored, orientation);

        assertEquals(expected[0].length, upright.getWidth());
        assertEquals(expected.length, upright.getHeight());
        for (int y = 0; y < expected.length; y++) {
            assertArrayEquals(expected[y], upright.getRaster().getSamples(0, y, upright.getWidth(), 1, 0, (int[]) null),
                    "row " + y);
        }
        assertEquals(stored.getColorModel(), upright.getColorModel());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void apply_rotation_keepsSamplesAndColourModel(TestImages.Kind kind) {
        BufferedImage image = kind.create(7, 5);

        BufferedImage back = Orientation.apply(Orientation.apply(image, 6), 8);

        assertEquals(image.getColorModel(), Orientation.apply(image, 6).getColorModel());
        TestImages.assertSamePixels(image, back);
    }

    static Stream<TestImages.Kind> kinds() {
        return Stream.of(TestImages.Kind.values());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void apply_orientation1OrInvalid_returnsSameImage(int orientation) {
        BufferedImage image = TestImages.Kind.RGB.create(4, 3);

        assertSame(image, Orientation.apply(image, orientation));
    }

    static Stream<Integer> invalid() {
        return Stream.of(0, 1, 9, -1, 65535);
    }
}
