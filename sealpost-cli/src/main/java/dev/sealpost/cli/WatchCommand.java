package dev.sealpost.cli;

import dev.sealpost.client.Cancellation;
import dev.sealpost.client.RelayInbox;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.protocol.MessageSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost watch}: receives messages as the relay pushes them (Server-Sent Events). */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Wait for new messages and receive each as it arrives (server push); Ctrl-C to stop.")
final class WatchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PassphraseOption pass;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "received", description = "Where to save attachments (default: ./received).")
    Path out;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after N messages (default: never).")
    int count;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        RelayInbox box = ReceiveCommand.Receiving.inbox(ctx, pass, quiet.quiet);
        if (!quiet.quiet) {
            ctx.out().println("watching for new messages (Ctrl-C to stop)");
            ctx.out().flush();
        }
        Cancellation enough = new Cancellation();
        int[] worst = {0};
        int[] done = {0};
        try {
            box.watch(new RelayInbox.WatchListener() {
                @Override
                public boolean message(MessageSummary m) {
                    int code;
                    try {
                        code = ReceiveCommand.Receiving.receiveAll(ctx, box, List.of(m), out, quiet.quiet);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e); // the relay went away mid-message: reconnect, then again
                    }
                    if (code == Failures.RELAY) {
                        return false; // a relay hiccup, not a verdict on the message: try it again
                    }
                    worst[0] = worst[0] == 0 ? code : worst[0];
                    if (count > 0 && ++done[0] >= count) {
                        enough.cancel();
                        enough.check();
                    }
                    return true;
                }

                @Override
                public void reconnecting(RelayException.Unreachable cause, long delaySeconds) {
                    if (!quiet.quiet) {
                        ctx.err().printf("sealpost: %s; retrying in %d s%n", cause.getMessage(), delaySeconds);
                        ctx.err().flush();
                    }
                }
            }, enough);
        } catch (Cancellation.Cancelled e) {
            return worst[0];
        }
        return worst[0];
    }
}
