package dev.sealpost.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads passphrases and passwords from a file, an environment variable or the terminal —
 * never from the command line, where other users and shell history would see them.
 */
final class Secrets {
    private Secrets() {}

    /**
     * @param ctx     the run
     * @param file    a file whose first line is the secret, or null
     * @param envName the environment variable to try next
     * @param prompt  what to ask on a terminal
     * @param confirm ask twice on a terminal and require both to match
     * @param what    e.g. "passphrase", for error messages
     * @return the secret; the caller should wipe it after use
     * @throws IOException if the file cannot be read
     * @throws Failures.UserException if no source is available or the secret is empty
     */
    static char[] read(Ctx ctx, Path file, String envName, String prompt, boolean confirm, String what) throws IOException {
        char[] secret;
        if (file != null) {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            secret = (nl < 0 ? s : s.substring(0, nl)).replace("\r", "").toCharArray();
        } else if (ctx.env().get(envName) != null) {
            secret = ctx.env().get(envName).toCharArray();
        } else {
            Console console = System.console();
            if (console == null) {
                throw new Failures.UserException(Failures.USAGE, "no " + what + ": give --" + what + "-file FILE or set "
                        + envName + " (there is no terminal to ask on)");
            }
            secret = console.readPassword("%s: ", prompt);
            if (secret == null) {
                throw new Failures.UserException(Failures.ERROR, "no " + what + " entered");
            }
            if (confirm) {
                char[] again = console.readPassword("%s (again): ", prompt);
                boolean same = again != null && Arrays.equals(secret, again);
                if (again != null) {
                    Arrays.fill(again, '\0');
                }
                if (!same) {
                    Arrays.fill(secret, '\0');
                    throw new Failures.UserException(Failures.ERROR, "the two " + what + "s differ");
                }
            }
        }
        if (secret.length == 0) {
            throw new Failures.UserException(Failures.USAGE, "empty " + what);
        }
        return secret;
    }
}
