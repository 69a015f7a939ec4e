package dev.sealpost.cli;

import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.WrongPassphraseException;
import dev.sealpost.ui.UiServer;
import java.awt.Desktop;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost ui}: the local web UI, on 127.0.0.1 only, until interrupted. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Run the web UI for your identity on 127.0.0.1 and open it in the browser. Prints one line with "
                + "the link, which works once. With SEALPOST_PASSPHRASE set it starts unlocked.")
final class UiCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "0", description = "TCP port on 127.0.0.1; 0 picks a free one (default).")
    int port;

    @Option(names = "--no-browser", description = "Print the link only; do not open a browser.")
    boolean noBrowser;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the Inbox saves messages in this run (default: the folder chosen in Settings, "
                    + "at first ./received).")
    java.nio.file.Path out;

    @Option(names = "--idle-lock", paramLabel = "MINUTES", defaultValue = "15",
            description = "Minutes the unlocked keys stay unlocked without use (default 15).")
    long idleLockMinutes;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        if (idleLockMinutes < 1) {
            throw new Failures.UserException(Failures.USAGE, "--idle-lock must be at least 1 minute");
        }
        if (port < 0 || port > 65535) {
            throw new Failures.UserException(Failures.USAGE, "--port must be 0 to 65535");
        }
        if (!IdentityFiles.exists(ctx.home().identityDir())) {
            throw new Failures.UserException(Failures.USAGE, "no identity in " + ctx.home().root()
                    + ": run sealpost init --name NAME (or set SEALPOST_HOME)");
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (UiServer ui = UiServer.start(ctx.home(), port, Duration.ofMinutes(idleLockMinutes), out, Clock.systemUTC())) {
            String passphrase = ctx.env().get("SEALPOST_PASSPHRASE");
            if (passphrase != null && !passphrase.isEmpty()) {
                try {
                    ui.unlock(passphrase.toCharArray());
                } catch (WrongPassphraseException e) {
                    throw new Failures.UserException(Failures.ERROR, "SEALPOST_PASSPHRASE does not unlock your keys");
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sealpost-ui-shutdown"));
            URI link = ui.launchUri();
            ctx.out().println("sealpost ui: " + link);
            ctx.out().flush();
            if (!noBrowser) {
                open(ctx, link);
            }
            stop.await();
        }
        return 0;
    }

    /** Opens the link in the desktop's browser, if there is one; says so in one line if not. */
    private static void open(Ctx ctx, URI link) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(link);
                return;
            }
            new ProcessBuilder("xdg-open", link.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | UnsupportedOperationException e) { // HeadlessException is one
            ctx.err().println("sealpost ui: cannot open a browser (" + e.getMessage() + "); open the link above");
            ctx.err().flush();
        }
    }
}
