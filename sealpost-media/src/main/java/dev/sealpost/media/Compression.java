package dev.sealpost.media;

import java.util.Locale;
import java.util.Objects;

/**
 * How an image attached to a message is compressed before it is sealed.
 *
 * <p>The textual form, accepted by {@link #parse(String)} and produced by {@link #toString()}, is
 * {@code lossless}, {@code jpeg}, {@code jpeg:QUALITY} or {@code none}.
 *
 * @param mode    what to do with the image
 * @param quality JPEG quality from 1 (smallest) to 100 (best) for {@link Mode#JPEG}; 0 for the
 *                other modes, which have no quality setting
 */
public record Compression(Mode mode, int quality) {

    /** JPEG quality used by {@code jpeg} without an explicit {@code :QUALITY}. */
    public static final int DEFAULT_JPEG_QUALITY = 85;

    /** The compression modes. */
    public enum Mode {
        /** Exact pixels, re-encoded only where that makes the file smaller; see {@link Images}. */
        LOSSLESS,
        /** Decoded and re-encoded as JPEG at {@link Compression#quality()}: smaller, not exact. */
        JPEG,
        /** The bytes as given, after checking that they are an image. */
        NONE
    }

    /**
     * @throws NullPointerException     if {@code mode} is null
     * @throws IllegalArgumentException if {@code quality} is not 1..100 for JPEG, or not 0 otherwise
     */
    public Compression {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.JPEG && (quality < 1 || quality > 100)) {
            throw new IllegalArgumentException("JPEG quality must be 1-100, not " + quality);
        }
        if (mode != Mode.JPEG && quality != 0) {
            throw new IllegalArgumentException(mode.name().toLowerCase(Locale.ROOT) + " takes no quality");
        }
    }

    /** @return the default mode, {@code lossless} */
    public static Compression defaultMode() {
        return lossless();
    }

    /** @return {@code lossless} */
    public static Compression lossless() {
        return new Compression(Mode.LOSSLESS, 0);
    }

    /** @return {@code none}: bytes as given */
    public static Compression none() {
        return new Compression(Mode.NONE, 0);
    }

    /**
     * @param quality 1 (smallest) to 100 (best)
     * @return {@code jpeg:quality}
     * @throws IllegalArgumentException if quality is outside 1..100
     */
    public static Compression jpeg(int quality) {
        return new Compression(Mode.JPEG, quality);
    }

    /**
     * Parses {@code lossless}, {@code jpeg} (quality {@value #DEFAULT_JPEG_QUALITY}),
     * {@code jpeg:QUALITY} (1..100) or {@code none}; case and surrounding blanks are ignored.
     *
     * @param s the textual form, e.g. from a command-line option
     * @return the compression it names
     * @throws IllegalArgumentException with a one-line message if {@code s} names no compression
     * @throws NullPointerException     if {@code s} is null
     */
    public static Compression parse(String s) {
        Objects.requireNonNull(s, "compression");
        String t = s.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "lossless":
                return lossless();
            case "none":
                return none();
            case "jpeg":
                return jpeg(DEFAULT_JPEG_QUALITY);
            default:
                break;
        }
        if (t.startsWith("jpeg:")) {
            String q = t.substring("jpeg:".length());
            if (q.matches("[0-9]{1,3}")) {
                int quality = Integer.parseInt(q);
                if (quality >= 1 && quality <= 100) {
                    return jpeg(quality);
                }
            }
            throw new IllegalArgumentException("invalid JPEG quality '" + printable(q) + "': use a whole number from 1 to 100");
        }
        throw new IllegalArgumentException("unknown compression '" + printable(s)
                + "': use lossless, jpeg, jpeg:QUALITY (1-100) or none");
    }

    /** @return the textual form that {@link #parse(String)} accepts, e.g. {@code jpeg:85} */
    @Override
    public String toString() {
        return switch (mode) {
            case LOSSLESS -> "lossless";
            case NONE -> "none";
            case JPEG -> "jpeg:" + quality;
        };
    }

    private static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
