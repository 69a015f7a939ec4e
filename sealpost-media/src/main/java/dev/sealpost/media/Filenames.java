package dev.sealpost.media;

/** Attachment file names: base name only, extension matching the content. */
final class Filenames {
    private static final String FALLBACK_STEM = "image";

    private Filenames() {}

    /**
     * @param given  a file name or path as the user gave it ({@code /} and {@code \} both separate
     *               directories)
     * @param format the format of the bytes sent under this name
     * @return the base name, with its extension kept if it already fits {@code format} (any case,
     *         e.g. {@code .jpeg} or {@code .JPG} for JPEG) and otherwise replaced by (or, without
     *         one, given) {@link ImageFormat#extension()}; control characters become {@code _}
     */
    static String attachmentName(String given, ImageFormat format) {
        String base = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1)
                .replaceAll("\\p{Cntrl}", "_")
                .strip();
        int dot = base.lastIndexOf('.');
        String stem = dot > 0 ? base.substring(0, dot) : base;
        String ext = dot > 0 ? base.substring(dot + 1) : "";
        if (stem.isEmpty() || stem.chars().allMatch(c -> c == '.')) {
            stem = FALLBACK_STEM;
        }
        if (format.hasExtension(ext)) {
            return stem + "." + ext;
        }
        return stem + "." + format.extension();
    }
}
