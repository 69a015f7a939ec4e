package dev.sealpost.relay;

import java.util.Locale;

/**
 * One byte range of a representation (RFC 9110 §14.1.2), resolved against its size.
 * {@link #parse} accepts a single {@code bytes=FIRST-LAST}, {@code bytes=FIRST-} or
 * {@code bytes=-SUFFIX}; a header with several ranges, another unit or a malformed or invalid
 * (LAST &lt; FIRST) range is ignored, so the whole representation is sent with 200, as RFC 9110
 * §14.2 allows.
 *
 * @param first offset of the first byte, {@code 0 <= first <= last}
 * @param last  offset of the last byte, inclusive, {@code last < size}
 * @param size  size of the whole representation, in bytes
 */
record ByteRange(long first, long last, long size) {
    /** @return the number of bytes in the range */
    long length() {
        return last - first + 1;
    }

    /** @return the {@code Content-Range} value, {@code bytes FIRST-LAST/SIZE} */
    String contentRange() {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * @param header the {@code Range} header, or null
     * @param size   size of the representation, in bytes
     * @return the range to send with 206, or null to send everything with 200
     * @throws ApiError.RangeNotSatisfiable if the range starts at or past {@code size},
     *                                      or is a suffix of 0 bytes (416)
     */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return null; // another unit, or not a range at all
        }
        String spec = h.substring(eq + 1).strip();
        int dash = spec.indexOf('-');
        if (spec.indexOf(',') >= 0 || dash < 0) {
            return null; // several ranges: not supported, send everything
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        if (a.isEmpty()) { // suffix: the last N bytes
            long suffix = number(b);
            if (suffix < 0) {
                return null;
            }
            if (suffix == 0 || size == 0) {
                throw new ApiError.RangeNotSatisfiable(size);
            }
            return new ByteRange(Math.max(0, size - suffix), size - 1, size);
        }
        long first = number(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : number(b);
        if (first < 0 || last < 0 || last < first) {
            return null;
        }
        if (first >= size) {
            throw new ApiError.RangeNotSatisfiable(size);
        }
        return new ByteRange(first, Math.min(last, size - 1), size);
    }

    /** @return the decimal value, {@link Long#MAX_VALUE} if it has more than 18 digits, -1 if not digits */
    private static long number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
