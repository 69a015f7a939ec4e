package dev.sealpost.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the key passphrase comes from: {@code --passphrase-file}, else {@code SEALPOST_PASSPHRASE}, else a prompt. */
final class PassphraseOption {
    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the key passphrase from the first line of FILE (else $SEALPOST_PASSPHRASE, else a prompt).")
    Path file;
}
