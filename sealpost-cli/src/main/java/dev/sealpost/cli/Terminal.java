package dev.sealpost.cli;

/** Printing text that came inside a message without letting it drive the terminal. */
final class Terminal {
    private Terminal() {}

    /**
     * @param untrusted text from a message (a filename, a subject)
     * @return the text with control characters (including ESC and bidi overrides) replaced by {@code ?}
     */
    static String printable(String untrusted) {
        StringBuilder b = new StringBuilder(untrusted.length());
        untrusted.codePoints().forEach(cp -> b.appendCodePoint(
                Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT ? '?' : cp));
        return b.toString();
    }
}
