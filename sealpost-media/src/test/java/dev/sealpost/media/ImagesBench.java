package dev.sealpost.media;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of {@code bench/images.sh}, run from the test classes (not part of the product):
 * <pre>
 *   java -cp target/classes:target/test-classes:DEPENDENCIES dev.sealpost.media.ImagesBench \
 *       prepare MODE OUT_DIR FILE...     (MODE: lossless, jpeg:85, ...; outputs named as the inputs)
 *   java -cp ... dev.sealpost.media.ImagesBench verify ORIGINAL_DIR OUT_DIR   (PNG outputs only)
 * </pre>
 * {@code prepare} prints one line per file and a last line {@code total FILES IN_BYTES OUT_BYTES
 * SECONDS}, the seconds measured around the loop in this JVM (the script also times the whole
 * process). {@code verify} decodes each PNG output and its original with ImageIO and compares
 * their samples with {@link PixelSamples} (16-bit RGBA per pixel, palette looked up), printing
 * {@code verified N} or failing with exit code 1.
 */
final class ImagesBench {
    private ImagesBench() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length >= 3 && args[0].equals("prepare")) {
            prepare(Compression.parse(args[1]), Path.of(args[2]), Arrays.asList(args).subList(3, args.length), out);
        } else if (args.length == 3 && args[0].equals("verify")) {
            System.exit(verify(Path.of(args[1]), Path.of(args[2]), out) ? 0 : 1);
        } else {
            System.err.println("usage: ImagesBench prepare MODE OUT_DIR FILE... | verify ORIGINAL_DIR OUT_DIR");
            System.exit(2);
        }
    }

    private static void prepare(Compression mode, Path outDir, List<String> files, PrintStream out) throws IOException {
        Files.createDirectories(outDir);
        long in = 0;
        long written = 0;
        long start = System.nanoTime();
        for (String f : files) {
            Path file = Path.of(f);
            long t0 = System.nanoTime();
            byte[] bytes;
            String note;
            try {
                PreparedImage p = Images.prepare(file, mode);
                bytes = p.bytes();
                note = p.format() + (p.size() == Files.size(file) ? " kept" : "");
            } catch (ImageException e) {
                bytes = Files.readAllBytes(file);
                note = "kept (" + e.getMessage() + ")";
            }
            Files.write(outDir.resolve(file.getFileName()), bytes);
            long size = Files.size(file);
            in += size;
            written += bytes.length;
            out.printf(Locale.ROOT, "%-45s %10d -> %10d  %6.2f s  %s%n", file.getFileName(), size, bytes.length,
                    (System.nanoTime() - t0) / 1e9, note);
        }
        out.printf(Locale.ROOT, "total %d %d %d %.2f%n", files.size(), in, written, (System.nanoTime() - start) / 1e9);
    }

    private static boolean verify(Path originals, Path outputs, PrintStream out) throws IOException {
        int n = 0;
        boolean ok = true;
        try (var list = Files.list(outputs)) {
            for (Path p : list.sorted().toList()) {
                byte[] output = Files.readAllBytes(p);
                if (ImageFormat.detect(output).orElse(null) != ImageFormat.PNG) {
                    continue;
                }
                byte[] original = Files.readAllBytes(originals.resolve(p.getFileName()));
                if (PixelSamples.sameSamples(original, output)) {
                    n++;
                } else {
                    out.println("DIFFERENT PIXELS: " + p.getFileName());
                    ok = false;
                }
            }
        }
        out.println(ok ? "verified " + n : "verification FAILED");
        return ok;
    }
}
