package dev.sealpost.cli;

import dev.sealpost.client.Draft;
import dev.sealpost.client.OutgoingPipeline;
import dev.sealpost.client.RelayDestination;
import dev.sealpost.client.Sent;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.crypto.Identity;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost send}: compress, sign, encrypt to every recipient, upload. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send a signed, encrypted message with images to one or more accounts on your relay. "
                + "With -q only the message id is printed.")
final class SendCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PassphraseOption pass;
    @Mixin FileInputs files;
    @Mixin ImageInputs images;

    @Option(names = "--to", required = true, split = ",", paramLabel = "NAME", description = "Recipient account; repeatable or comma-separated.")
    List<String> to;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", defaultValue = "", description = "The message text.")
    String text;

    @Option(names = {"-s", "--subject"}, paramLabel = "TEXT", defaultValue = "", description = "An optional subject.")
    String subject;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        if (text.isEmpty() && images.images.isEmpty() && files.files.isEmpty()) {
            throw new Failures.UserException(Failures.USAGE, "nothing to send: give -m TEXT, --image FILE and/or --file PATH");
        }
        Identity me = Local.identity(ctx, pass, true, false); // the signing key decrypts while images are compressed and files uploaded
        Draft draft = new Draft(subject, text, images.prepare(ctx, quiet.quiet), files.expand());
        if (draft.isEmpty()) {
            throw new Failures.UserException(Failures.USAGE, "nothing to send: give -m TEXT, --image FILE and/or --file PATH");
        }
        RelayClient relay = Local.relay(ctx);
        Sent sent;
        try (RelayDestination destination = new RelayDestination(relay, ctx.home(), Local.notices(ctx, quiet.quiet))) {
            sent = new OutgoingPipeline(me, Clock.systemUTC(), files.inlineLimit).send(
                    Local.pinnedKeys(ctx, relay, me, quiet.quiet).recipients(to), draft, destination,
                    Local.stopOnKeyFailure(TerminalProgress.of(quiet.quiet), me));
        }
        if (quiet.quiet) {
            ctx.out().println(sent.messageId());
            return 0;
        }
        ctx.out().printf("sent %s to %s (%,d bytes sealed%s, signed by %s)%n", sent.messageId(),
                String.join(", ", sent.recipients()), sent.sealedBytes(),
                sent.streamedFiles() == 0 ? "" : String.format(" + %,d bytes in %d streamed file%s", sent.streamedBytes(),
                        sent.streamedFiles(), sent.streamedFiles() == 1 ? "" : "s"), me.name());
        return 0;
    }
}
