package dev.sealpost.protocol;

import java.util.regex.Pattern;

/**
 * Account names on a relay: 1 to 32 characters, lowercase ASCII letters, digits, {@code .},
 * {@code _} and {@code -}, starting with a letter or digit. Names are also used as contact
 * names and in file names, so the alphabet is kept safe for both.
 */
public final class AccountName {
    /** Longest account name, in characters (each one byte in UTF-8 and unchanged by URL encoding). */
    public static final int MAX_LENGTH = 32;
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    private AccountName() {}

    /** @return true if {@code name} is a valid account name */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /**
     * @return {@code name} unchanged
     * @throws IllegalArgumentException with a one-line reason if it is not a valid account name
     */
    public static String require(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid name '" + printable(name)
                    + "': use 1-32 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
