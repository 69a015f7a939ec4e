package dev.sealpost.media;

/**
 * PNG filter method 0 (PNG 3rd edition, W3C 2025 / ISO/IEC 15948, clause 9 "Filtering"): the
 * five filter types None, Sub, Up, Average and Paeth, applied to one {@link PngRaster} row at a
 * time, and the adaptive choice per row that libpng makes by default: the filter whose output
 * has the smallest sum of absolute values, bytes read as signed (the "minimum sum of absolute
 * differences" heuristic of 12.8 "Filter selection").
 *
 * <p>One instance filters one raster with one choice; not thread-safe, cheap to make.
 */
final class PngFilters {
    static final int NONE = 0;
    static final int SUB = 1;
    static final int UP = 2;
    static final int AVERAGE = 3;
    static final int PAETH = 4;
    /** Not a PNG filter type: per row, whichever of the five gives the smallest sum. */
    static final int ADAPTIVE = 5;

    private final PngRaster raster;
    private final int choice;
    private final int rowBytes;
    private final int bpp;
    private final byte[][] scratch;

    /**
     * @param raster the raw rows
     * @param choice a filter type, or {@link #ADAPTIVE}
     */
    PngFilters(PngRaster raster, int choice) {
        if (choice < NONE || choice > ADAPTIVE) {
            throw new IllegalArgumentException("filter " + choice);
        }
        this.raster = raster;
        this.choice = choice;
        this.rowBytes = raster.rowBytes();
        this.bpp = raster.filterDistance();
        this.scratch = choice == ADAPTIVE ? new byte[5][rowBytes + 1] : null;
    }

    /** @return bytes of one filtered row: the filter-type byte, then {@code rowBytes} bytes */
    int filteredRowBytes() {
        return rowBytes + 1;
    }

    /**
     * Writes row {@code y}, filtered, at {@code out[at]}: {@link #filteredRowBytes()} bytes.
     * Rows may be filtered in any order; each depends only on itself and the row above.
     */
    void filterRow(int y, byte[] out, int at) {
        int cur = y * rowBytes;
        int prev = y == 0 ? -1 : cur - rowBytes;
        if (choice != ADAPTIVE) {
            apply(choice, raster.rows(), cur, prev, out, at);
            return;
        }
        int best = 0;
        long bestSum = Long.MAX_VALUE;
        for (int type = NONE; type <= PAETH; type++) {
            byte[] s = scratch[type];
            apply(type, raster.rows(), cur, prev, s, 0);
            long sum = 0;
            for (int i = 1; i <= rowBytes && sum < bestSum; i++) {
                int v = s[i];
                sum += v < 0 ? -v : v;
            }
            if (sum < bestSum) {
                bestSum = sum;
                best = type;
            }
        }
        System.arraycopy(scratch[best], 0, out, at, rowBytes + 1);
    }

    private void apply(int type, byte[] raw, int cur, int prev, byte[] out, int at) {
        int n = rowBytes;
        out[at++] = (byte) type;
        switch (type) {
            case NONE -> System.arraycopy(raw, cur, out, at, n);
            case SUB -> {
                System.arraycopy(raw, cur, out, at, Math.min(bpp, n));
                for (int i = bpp; i < n; i++) {
                    out[at + i] = (byte) (raw[cur + i] - raw[cur + i - bpp]);
                }
            }
            case UP -> {
                if (prev < 0) {
                    System.arraycopy(raw, cur, out, at, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = (byte) (raw[cur + i] - raw[prev + i]);
                    }
                }
            }
            case AVERAGE -> {
                for (int i = 0; i < n; i++) {
                    int left = i >= bpp ? raw[cur + i - bpp] & 0xFF : 0;
                    int up = prev >= 0 ? raw[prev + i] & 0xFF : 0;
                    out[at + i] = (byte) (raw[cur + i] - ((left + up) >>> 1));
                }
            }
            case PAETH -> {
                for (int i = 0; i < n; i++) {
                    int left = i >= bpp ? raw[cur + i - bpp] & 0xFF : 0;
                    int up = prev >= 0 ? raw[prev + i] & 0xFF : 0;
                    int upLeft = i >= bpp && prev >= 0 ? raw[prev + i - bpp] & 0xFF : 0;
                    out[at + i] = (byte) (raw[cur + i] - paeth(left, up, upLeft));
                }
            }
            default -> throw new IllegalStateException("filter " + type);
        }
    }

    /** The Paeth predictor of 9.4, ties broken in the order left, up, upper left. */
    static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    static String name(int choice) {
        return switch (choice) {
            case NONE -> "none";
            case SUB -> "sub";
            case UP -> "up";
            case AVERAGE -> "average";
            case PAETH -> "paeth";
            default -> "adaptive";
        };
    }
}
