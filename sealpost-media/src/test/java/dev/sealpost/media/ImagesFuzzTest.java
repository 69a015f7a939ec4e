package dev.sealpost.media;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Damaged files in every format and mode: each either prepares or fails with an
 * {@link ImageException}; nothing else may escape.
 */
class ImagesFuzzTest {
    private static final int ROUNDS = 150;
    private static final long MAX_PIXELS = 2_000_000;

    @TestFactory
    Stream<DynamicTest> prepare_damagedInput_onlyImageException() {
        Map<String, byte[]> originals = Map.of(
                "png", TestImages.png(TestImages.Kind.RGBA.create(48, 32), 0f, false),
                "palette.png", TestImages.png(TestImages.Kind.PALETTE.create(48, 32), 0.5f, true),
                "jpg", SampleImages.jpeg(48, 32, 80),
                "gif", TestImages.write(TestImages.Kind.PALETTE.create(48, 32), "gif"),
                "bmp", TestImages.write(TestImages.draw(new BufferedImage(48, 32, BufferedImage.TYPE_3BYTE_BGR)), "bmp"),
                "tiff", TestImages.write(TestImages.Kind.RGB.create(48, 32), "tiff"),
                "webp", WebpHeaderTest.losslessWebp(48, 32));
        return originals.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(entry -> DynamicTest.dynamicTest(
                entry.getKey(), () -> fuzz(entry.getKey(), entry.getValue())));
    }

    private static void fuzz(String name, byte[] original) {
        Random random = new Random(name.hashCode());
        Compression[] modes = {Compression.lossless(), Compression.jpeg(70), Compression.none()};
        for (int round = 0; round < ROUNDS; round++) {
            byte[] damaged = damage(original, random);
            for (Compression mode : modes) {
                try {
                    Images.prepare("f." + name, damaged, mode, MAX_PIXELS);
                } catch (ImageException expected) {
                    // fine: a clear failure
                } catch (Throwable t) {
                    fail("round " + round + ", " + mode + ": " + t, t);
                }
            }
        }
    }

    private static byte[] damage(byte[] original, Random random) {
        byte[] copy = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                return Arrays.copyOf(copy, random.nextInt(copy.length));
            }
            case 1 -> {
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
            }
            case 2 -> {
                int at = random.nextInt(Math.min(copy.length, 64));
                copy[at] = (byte) random.nextInt(256);
            }
            default -> {
                int from = random.nextInt(copy.length);
                int to = Math.min(copy.length, from + 1 + random.nextInt(32));
                Arrays.fill(copy, from, to, (byte) (random.nextBoolean() ? 0 : 0xFF));
            }
        }
        return copy;
    }
}
