package dev.sealpost.cli;

import dev.sealpost.client.RelayInbox;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.protocol.MessageSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    private static final long MAX_BACKOFF_MS = 30_000;

    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PassphraseOption pass;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "received", description = "Where to save attachments (default: ./received).")
    Path out;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after N messages (default: never).")
    int count;

    private final Set<String> handled = new HashSet<>();
    private int worst;

    /** Thrown inside the event callback to end the stream once --count messages were handled. */
    private static final class Enough extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        RelayInbox box = ReceiveCommand.Receiving.inbox(ctx, pass, quiet.quiet);
        if (!quiet.quiet) {
            ctx.out().println("watching for new messages (Ctrl-C to stop)");
            ctx.out().flush();
        }
        long backoff = 1000;
        while (true) {
            try {
                box.follow(() -> handle(ctx, box, inbox(box)), m -> handle(ctx, box, List.of(m)));
                backoff = 1000;
            } catch (Enough e) {
                return worst;
            } catch (RelayException | UncheckedIOException failure) {
                IOException e = failure instanceof UncheckedIOException u ? u.getCause() : (IOException) failure;
                if (!(e instanceof RelayException.Unreachable)) {
                    throw e;
                }
                if (!quiet.quiet) {
                    ctx.err().printf("sealpost: %s; retrying in %d s%n", e.getMessage(), backoff / 1000);
                    ctx.err().flush();
                }
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private static List<MessageSummary> inbox(RelayInbox box) {
        try {
            return box.list();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(Ctx ctx, RelayInbox box, List<MessageSummary> messages) {
        for (MessageSummary m : messages) {
            if (!handled.add(m.id())) {
                continue;
            }
            try {
                int code = ReceiveCommand.Receiving.receiveAll(ctx, box, List.of(m), out, quiet.quiet);
                if (code == Failures.RELAY) {
                    handled.remove(m.id()); // a relay hiccup, not a verdict on the message: try it again
                }
                worst = worst == 0 ? code : worst;
            } catch (IOException e) {
                handled.remove(m.id()); // the relay went away mid-message: receive it after reconnecting
                throw new UncheckedIOException(e);
            }
            if (count > 0 && handled.size() >= count) {
                throw new Enough();
            }
        }
    }
}
