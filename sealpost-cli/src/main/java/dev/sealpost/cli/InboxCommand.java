package dev.sealpost.cli;

import dev.sealpost.protocol.MessageSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sealpost inbox}: lists pending messages (what the relay knows: sender, time, size). */
@Command(name = "inbox", mixinStandardHelpOptions = true, description = "List messages waiting for you on the relay.")
final class InboxCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        List<MessageSummary> inbox = Local.relay(ctx).inbox();
        if (inbox.isEmpty()) {
            if (!quiet.quiet) {
                ctx.out().println("no messages");
            }
            return 0;
        }
        if (!quiet.quiet) {
            ctx.out().printf("%-24s %-16s %-20s %12s%n", "ID", "FROM", "SENT", "BYTES");
        }
        for (MessageSummary m : inbox) {
            ctx.out().printf("%-24s %-16s %-20s %,12d%n", m.id(), m.sender(),
                    m.sentAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), m.size());
        }
        return 0;
    }
}
