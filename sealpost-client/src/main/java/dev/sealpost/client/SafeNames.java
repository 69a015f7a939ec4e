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
    private static final int MAX_LENGTH = 120;
    private static final Set<String> WINDOWS_DEVICES = Set.of("con", "prn", "aux", "nul",
            "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private SafeNames() {}

    /**
     * Sanitises one untrusted filename.
     *
     * @param untrusted the name from the message, possibly hostile (e.g. {@code ../../.bashrc})
     * @param fallback  used when nothing usable remains, e.g. {@code image-1.png}
     * @return a plain file name (no separators), 1 to 120 characters
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
        if (s.length() > MAX_LENGTH) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
            s = s.substring(0, MAX_LENGTH - ext.length()) + ext;
        }
        return s;
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
                || taken.contains(candidate); i++) {
            candidate = stem + "-" + i + ext;
        }
        Path p = dir.resolve(candidate).normalize();
        if (!p.getParent().equals(dir.normalize())) {
            throw new IOException("refusing file name that leaves the output folder");
        }
        taken.add(candidate);
        return p;
    }
}
