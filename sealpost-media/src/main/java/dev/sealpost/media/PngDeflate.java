package dev.sealpost.media;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

/**
 * Filtered rows into a zlib stream (RFC 1950 around RFC 1951 deflate), with {@link Deflater}.
 *
 * <p>A large image is compressed as {@value #PARTS} row ranges at once, the way pigz does it: each
 * range is raw deflate primed with the 32 KiB of filtered bytes before it as dictionary (so matches
 * across the seam are still found), every range but the last ends with a sync flush (an empty
 * stored block that byte-aligns the stream, RFC 1951 3.2.4), and the ranges are concatenated behind
 * one zlib header, with the Adler-32 of all the bytes combined from the ranges' own (RFC 1950 8.2).
 * The ranges depend only on the image size, so the bytes do not depend on scheduling or on the
 * number of cores.
 */
final class PngDeflate {
    /** Row ranges of an image compressed at once. */
    static final int PARTS = 2;
    /** Filtered bytes from which an image is split into {@value #PARTS} ranges. */
    static final int SPLIT_BYTES = 1 << 20;
    private static final int WINDOW = 32 * 1024;
    private static final int BATCH = 64 * 1024;
    private static final int ADLER_BASE = 65521;

    private PngDeflate() {}

    /** One range's raw deflate bytes, and the Adler-32 and length of its input. */
    private record Part(byte[] deflated, int adler, long length) {}

    /**
     * @param trial how to filter and which strategy to use
     * @param level deflate level, 1 (fastest) to 9 (smallest)
     * @return the whole image's filtered rows as one zlib stream
     */
    static byte[] zlib(PngOptimizer.Trial trial, int level) {
        PngRaster r = trial.raster();
        long filtered = (long) r.height() * (r.rowBytes() + 1);
        int parts = filtered >= SPLIT_BYTES && r.height() >= PARTS ? PARTS : 1;
        List<Part> done = IntStream.range(0, parts).parallel()
                .mapToObj(p -> part(trial, level, r.height() * p / parts, r.height() * (p + 1) / parts, p == parts - 1))
                .toList();
        int header = 0x78 << 8 | (level >= 7 ? 3 : level == 6 ? 2 : level >= 2 ? 1 : 0) << 6;
        header += 31 - header % 31;
        ByteArrayOutputStream out = new ByteArrayOutputStream(done.stream().mapToInt(p -> p.deflated().length).sum() + 6);
        out.write(header >>> 8);
        out.write(header & 0xFF);
        int adler = 1;
        for (Part p : done) {
            out.writeBytes(p.deflated());
            adler = combine(adler, p.adler(), p.length());
        }
        out.write(adler >>> 24);
        out.write(adler >>> 16);
        out.write(adler >>> 8);
        out.write(adler);
        return out.toByteArray();
    }

    /**
     * @param rows rows to compress, ascending (a sample; each is filtered against its real row above)
     * @return the size of their raw deflate stream, for comparing trials
     */
    static long sampledSize(PngOptimizer.Trial trial, int[] rows, int level) {
        return deflate(trial, level, rows, 0, rows.length, null, true).deflated().length;
    }

    private static Part part(PngOptimizer.Trial trial, int level, int from, int to, boolean last) {
        byte[] dictionary = null;
        if (from > 0) {
            PngFilters filters = new PngFilters(trial.raster(), trial.filter());
            int rowLength = filters.filteredRowBytes();
            int first = Math.max(0, from - (WINDOW + rowLength - 1) / rowLength);
            byte[] before = new byte[(from - first) * rowLength];
            for (int y = first; y < from; y++) {
                filters.filterRow(y, before, (y - first) * rowLength);
            }
            dictionary = Arrays.copyOfRange(before, Math.max(0, before.length - WINDOW), before.length);
        }
        return deflate(trial, level, null, from, to, dictionary, last);
    }

    /** Raw deflate of rows {@code from..to-1} (of {@code rows} if given, else of the image). */
    private static Part deflate(PngOptimizer.Trial trial, int level, int[] rows, int from, int to, byte[] dictionary,
                                boolean last) {
        PngFilters filters = new PngFilters(trial.raster(), trial.filter());
        int rowLength = filters.filteredRowBytes();
        byte[] batch = new byte[Math.max(BATCH, rowLength)];
        byte[] buffer = new byte[BATCH];
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16,
                (long) (to - from) * rowLength / 4 + 64));
        Adler32 adler = new Adler32();
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setStrategy(trial.strategy());
            if (dictionary != null) {
                deflater.setDictionary(dictionary);
            }
            int filled = 0;
            for (int i = from; i < to; i++) {
                if (filled + rowLength > batch.length) {
                    drain(deflater, adler, batch, filled, buffer, out);
                    filled = 0;
                }
                filters.filterRow(rows == null ? i : rows[i], batch, filled);
                filled += rowLength;
            }
            drain(deflater, adler, batch, filled, buffer, out);
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    out.write(buffer, 0, deflater.deflate(buffer));
                }
            } else {
                int n;
                do {
                    n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    out.write(buffer, 0, n);
                } while (n == buffer.length);
            }
        } finally {
            deflater.end();
        }
        return new Part(out.toByteArray(), (int) adler.getValue(), (long) (to - from) * rowLength);
    }

    private static void drain(Deflater deflater, Adler32 adler, byte[] input, int length, byte[] buffer,
                              ByteArrayOutputStream out) {
        adler.update(input, 0, length);
        deflater.setInput(input, 0, length);
        while (!deflater.needsInput()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
    }

    /** zlib's adler32_combine: the Adler-32 of two inputs back to back, from theirs. */
    static int combine(int adler1, int adler2, long length2) {
        long rem = length2 % ADLER_BASE;
        long sum1 = adler1 & 0xFFFF;
        long sum2 = rem * sum1 % ADLER_BASE;
        sum1 += (adler2 & 0xFFFF) + ADLER_BASE - 1;
        sum2 += (adler1 >>> 16 & 0xFFFF) + (adler2 >>> 16 & 0xFFFF) + ADLER_BASE - rem;
        if (sum1 >= ADLER_BASE) {
            sum1 -= ADLER_BASE;
        }
        if (sum1 >= ADLER_BASE) {
            sum1 -= ADLER_BASE;
        }
        if (sum2 >= 2L * ADLER_BASE) {
            sum2 -= 2L * ADLER_BASE;
        }
        if (sum2 >= ADLER_BASE) {
            sum2 -= ADLER_BASE;
        }
        return (int) (sum1 | sum2 << 16);
    }
}
