package dev.sealpost.cli;

import picocli.CommandLine.Option;

/** The {@code -q/--quiet} option shared by every command: print only results and errors. */
final class QuietOption {
    @Option(names = {"-q", "--quiet"}, description = "Print only essential results and errors.")
    boolean quiet;
}
