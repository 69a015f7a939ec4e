package dev.sealpost.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a filename that came inside a message into one that is safe to create under an
 * output folder: no directories, no parent references, no control or reserved characters,
 * no hidden files, no device names, bounded length, and never an existing file.
 */
public final class SafeNames {
    /** Longest name in UTF-8 bytes; file systems allow 255, and -N suffixes need room. */
    private static final int MAX_BYTES = 200;
    private static final Set<String> WINDOWS_DEVICES = Set.of("con", "prn", "aux", "nul",
            "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private SafeNames() {}

    /**
     * Sanitises one untrusted filename.
     *
     * @param untrusted the name from the message, possibly hostile (e.g. {@code ../../.bashrc})
     * @param fallback  used when nothing usable remains, e.g. {@code image-1.png}
     * @return a plain file name (no separators), at most 200 bytes in UTF-8, cut between code points
     */
    public static String sanitize(String untrusted, String fallback) {
        String s = untrusted == null ? "" : Normalizer.normalize(untrusted, Normalizer.Form.NFC);
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(slash + 1);
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            boolean bad = Character.isISOControl(cp) || "<>:\"|?*".indexOf(cp) >= 0
                    || Character.getType(cp) == Character.FORMAT;
            b.appendCodePoint(bad ? '_' : cp);
        });
        s = b.toString().strip();
        while (s.startsWith(".")) {
            s = s.substring(1);
        }
        while (s.endsWith(".") || s.endsWith(" ")) {
            s = s.substring(0, s.length() - 1);
        }
        String stem = s.contains(".") ? s.substring(0, s.indexOf('.')) : s;
        if (s.isEmpty() || WINDOWS_DEVICES.contains(stem.toLowerCase(Locale.ROOT))) {
            s = fallback;
        }
        s = truncate(s, MAX_BYTES);
        try {
            Path.of(s); // names the platform cannot represent (e.g. non-ASCII under a C locale)
        } catch (java.nio.file.InvalidPathException e) {
            s = fallback;
        }
        return s;
    }

    /** Deepest folder nesting kept from a received relative path; deeper parts are joined. */
    static final int MAX_DEPTH = 16;

    /**
     * Sanitises an untrusted relative path with {@code /} separators (a file of a folder that
     * was sent): every component is sanitised with {@link #sanitize}; empty, {@code .} and
     * {@code ..} components are dropped, so the result never leaves the output folder.
     *
     * @param untrusted e.g. {@code scans/2026/ct-01.dcm}, possibly hostile
     * @param fallback  used when nothing usable remains
     * @return one or more safe components; the last is the file name
     */
    public static java.util.List<String> relative(String untrusted, String fallback) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String c : (untrusted == null ? "" : untrusted).split("[/\\\\]")) {
            String t = c.strip();
            if (t.isEmpty() || t.equals(".") || t.equals("..")) {
                continue;
            }
            String safe = sanitize(t, "");
            if (!safe.isEmpty()) {
                parts.add(safe);
            }
        }
        if (parts.isEmpty()) {
            return java.util.List.of(sanitize(fallback, "file"));
        }
        while (parts.size() > MAX_DEPTH) {
            parts.set(MAX_DEPTH - 1, sanitize(parts.get(MAX_DEPTH - 1) + "_" + parts.remove(MAX_DEPTH), "file"));
        }
        return java.util.List.copyOf(parts);
    }

    /** Cuts {@code s} to at most {@code maxBytes} UTF-8 bytes at a code-point boundary, keeping a short extension. */
    private static String truncate(String s, int maxBytes) {
        if (utf8(s) <= maxBytes) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
        String stem = s.substring(0, s.length() - ext.length());
        int budget = maxBytes - utf8(ext);
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int n = utf8(new String(Character.toChars(cp)));
            if (used + n > budget) {
                break;
            }
            b.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return b + ext;
    }

    private static int utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * Picks a path for {@code name} inside {@code dir} that does not exist yet, adding
     * {@code -1}, {@code -2}, ... before the extension when needed.
     *
     * @param dir  the output folder
     * @param name a name already passed through {@link #sanitize}
     * @param taken names already chosen for this message but not yet created
     * @return a path whose parent is exactly {@code dir}
     * @throws IOException if the result would leave {@code dir} (cannot happen for sanitised names)
     */
    public static Path freePath(Path dir, String name, Set<String> taken) throws IOException {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String candidate = name;
        for (int i = 1; Files.exists(dir.resolve(candidate), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || taken.contains(candidate.toLowerCase(java.util.Locale.ROOT)); i++) {
            candidate = stem + "-" + i + ext;
        }
        Path p = dir.resolve(candidate).normalize();
        if (!p.getParent().equals(dir.normalize())) {
            throw new IOException("refusing file name that leaves the output folder");
        }
        taken.add(candidate.toLowerCase(java.util.Locale.ROOT)); // case-insensitive file systems
        return p;
    }
}
