package dev.sealpost.cli;

import dev.sealpost.client.SealpostHome;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * What one run of the program works with: its output streams and environment. Commands
 * read it with {@link #of(CommandLine.Model.CommandSpec)} instead of touching
 * {@code System.out} or {@code System.getenv()}, so tests can run them in-process.
 *
 * @param out standard output
 * @param err standard error
 * @param env environment variables
 */
record Ctx(PrintWriter out, PrintWriter err, Map<String, String> env) {

    static Ctx of(CommandLine.Model.CommandSpec spec) {
        return ((Main) spec.root().userObject()).ctx;
    }

    SealpostHome home() {
        return SealpostHome.from(env);
    }
}
