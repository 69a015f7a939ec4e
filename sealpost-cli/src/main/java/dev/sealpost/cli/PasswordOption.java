package dev.sealpost.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the relay account password comes from: {@code --password-file}, else {@code SEALPOST_PASSWORD}, else a prompt. */
final class PasswordOption {
    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the relay password from the first line of FILE (else $SEALPOST_PASSWORD, else a prompt).")
    Path file;
}
