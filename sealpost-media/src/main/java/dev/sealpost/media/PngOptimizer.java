package dev.sealpost.media;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.Deflater;

/**
 * The smallest PNG for an image's exact samples, found the way optipng and oxipng find it, with
 * the JDK's zlib ({@link Deflater}, the library optipng uses):
 * <ol>
 *   <li>{@link PngReduction}: the image types that hold the samples in fewer bytes (alpha dropped,
 *       grey, palette, lower bit depths);</li>
 *   <li>trials: each layout with each filter choice (None, Sub, Up, Average, Paeth, and adaptive
 *       per row, see {@link PngFilters}; PNG 3rd edition clause 9) and each deflate strategy
 *       (default, filtered, Huffman only; RFC 1951), run in parallel on the common fork-join pool.
 *       java.util.zip fixes memLevel at 8 and the window at 32 KiB, as optipng -o2 uses them, and
 *       has no run-length strategy (optipng's {@code zs=3});</li>
 *   <li>cost kept down: for images over {@value #SAMPLE_BYTES} filtered bytes, trials compress
 *       only {@value #STRIPES} evenly spread stripes of rows (each row filtered against its real row
 *       above) at level {@value #ESTIMATE_LEVEL}, and only the best is compressed whole, at level
 *       {@value #FINAL_LEVEL}, split over cores by {@link PngDeflate}; smaller images are
 *       compressed whole at level {@value #FINAL_LEVEL} in every trial;</li>
 *   <li>{@link PngWriter}: one non-interlaced PNG with the smallest zlib stream (RFC 1950).</li>
 * </ol>
 * Deterministic: the same image always gives the same bytes, however the trials were scheduled
 * (ties go to the earlier trial). Thread-safe: no shared state.
 */
final class PngOptimizer {
    /** Filtered bytes at or below which every trial compresses the whole image. */
    static final int SAMPLE_BYTES = 128 * 1024;
    /** Trials compressed whole after sampling. */
    static final int FINALISTS = 1;
    /**
     * Deflate level of sampled trials: ranks them as level 9 does (measured on the benchmark corpus)
     * at a fraction of the time, since level 9 searches hash chains up to 4096 long.
     */
    static final int ESTIMATE_LEVEL = 6;
    /** Deflate level of the output. */
    static final int FINAL_LEVEL = 9;
    private static final int STRIPES = 8;
    private static final int[] FILTERS = {PngFilters.NONE, PngFilters.SUB, PngFilters.UP, PngFilters.AVERAGE,
            PngFilters.PAETH, PngFilters.ADAPTIVE};
    private static final int[] STRATEGIES = {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY};

    private PngOptimizer() {}

    /** One way to write the image: a layout, a filter choice and a deflate strategy. */
    record Trial(PngRaster raster, int filter, int strategy) {
        @Override
        public String toString() {
            return raster + " " + PngFilters.name(filter) + (strategy == Deflater.FILTERED ? " filtered" : strategy == Deflater.HUFFMAN_ONLY ? " huffman" : " default");
        }
    }

    /** A trial's compressed size, over sample rows or (with {@code zlib}) the whole image. */
    private record TrialSize(int index, long size, byte[] zlib) {}

    /**
     * @param image            decoded pixels, as {@link PngEncoder#encodable} returns them
     * @param colourChunks     complete colour chunks to carry over (may be empty)
     * @param sourceColourType the colour type of the PNG the image came from, or -1 for other
     *                         formats; with an iCCP or cICP chunk the output keeps its family (grey
     *                         or colour), since such a profile describes one or the other
     * @return the PNG file, or null if the colour model is not one {@link PngReduction} reads
     */
    static byte[] optimize(BufferedImage image, byte[] colourChunks, int sourceColourType) {
        PngReduction.Family family = PngReduction.Family.ANY;
        if (PngWriter.contains(colourChunks, "iCCP") || PngWriter.contains(colourChunks, "cICP")) {
            family = sourceColourType == 0 || sourceColourType == 4 ? PngReduction.Family.GREY
                    : PngReduction.Family.COLOUR;
        }
        List<PngRaster> layouts = PngReduction.layouts(image, family);
        if (layouts.isEmpty()) {
            return null;
        }
        List<Trial> trials = trials(layouts);
        TrialSize best = best(trials);
        return PngWriter.write(trials.get(best.index()).raster(), colourChunks, best.zlib());
    }

    static List<Trial> trials(List<PngRaster> layouts) {
        List<Trial> trials = new ArrayList<>();
        for (PngRaster raster : layouts) {
            for (int filter : FILTERS) {
                for (int strategy : STRATEGIES) {
                    trials.add(new Trial(raster, filter, strategy));
                }
            }
        }
        return trials;
    }

    /** @return the trial with the smallest whole-image zlib stream, its bytes included */
    private static TrialSize best(List<Trial> trials) {
        List<TrialSize> estimates = IntStream.range(0, trials.size()).parallel()
                .mapToObj(i -> estimate(i, trials.get(i)))
                .sorted(Comparator.comparingLong(TrialSize::size).thenComparingInt(TrialSize::index))
                .toList();
        List<TrialSize> finalists = estimates.subList(0, Math.min(FINALISTS, estimates.size()));
        return finalists.stream()
                .map(r -> r.zlib() != null ? r : new TrialSize(r.index(), 0, PngDeflate.zlib(trials.get(r.index()), FINAL_LEVEL)))
                .map(r -> new TrialSize(r.index(), r.zlib().length, r.zlib()))
                .min(Comparator.comparingLong(TrialSize::size).thenComparingInt(TrialSize::index))
                .orElseThrow();
    }

    private static TrialSize estimate(int index, Trial trial) {
        PngRaster r = trial.raster();
        long filtered = (long) r.height() * (r.rowBytes() + 1);
        if (filtered <= SAMPLE_BYTES) {
            byte[] zlib = PngDeflate.zlib(trial, FINAL_LEVEL);
            return new TrialSize(index, zlib.length, zlib);
        }
        // Sampled sizes are scaled to the whole image, so that layouts of different sizes compare.
        int[] rows = sampleRows(r);
        long sampled = PngDeflate.sampledSize(trial, rows, ESTIMATE_LEVEL);
        return new TrialSize(index, sampled * r.height() / rows.length, null);
    }

    /** @return about {@value #SAMPLE_BYTES} bytes' worth of rows, in {@value #STRIPES} stripes */
    static int[] sampleRows(PngRaster r) {
        int perStripe = (int) Math.max(1, SAMPLE_BYTES / STRIPES / (r.rowBytes() + 1L));
        int stripes = (int) Math.min(STRIPES, Math.max(1, r.height() / perStripe));
        int[] rows = new int[stripes * perStripe];
        int n = 0;
        int next = 0;
        for (int s = 0; s < stripes; s++) {
            int start = Math.max(next, stripes == 1 ? 0 : (int) ((long) (r.height() - perStripe) * s / (stripes - 1)));
            for (int y = start; y < start + perStripe && y < r.height(); y++) {
                rows[n++] = y;
            }
            next = start + perStripe;
        }
        return Arrays.copyOf(rows, n);
    }
}
