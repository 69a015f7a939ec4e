package dev.sealpost.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a second-factor code comes from: {@code --otp-file}, else {@code SEALPOST_OTP}, else a
 * prompt. Never an option value of its own: a code on the command line would show in the
 * process list and the shell's history.
 */
final class OtpOption {
    @Option(names = "--otp-file", paramLabel = "FILE",
            description = "Read the second-factor code (or a recovery code) from the first line of FILE "
                    + "(else $SEALPOST_OTP, else a prompt).")
    Path file;

    /** @return whether a code is given without a prompt */
    boolean given(Ctx ctx) {
        return file != null || ctx.env().get("SEALPOST_OTP") != null;
    }

    /** @return the code; the caller wipes it */
    char[] read(Ctx ctx) throws java.io.IOException {
        return Secrets.read(ctx, file, "SEALPOST_OTP", "Code from your authenticator app (or a recovery code)", false, "otp");
    }
}
