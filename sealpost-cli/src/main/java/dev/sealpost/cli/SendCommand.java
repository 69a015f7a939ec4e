package dev.sealpost.cli;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.Mailbox;
import dev.sealpost.client.OutgoingFile;
import dev.sealpost.crypto.Identity;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost send}: compress, sign, encrypt to every recipient, upload. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send a signed, encrypted message with images to one or more accounts on your relay.")
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
        List<OutgoingFile> outgoing = files.expand();
        List<Attachment> attachments = images.prepare(ctx, quiet.quiet);
        if (text.isEmpty() && attachments.isEmpty() && outgoing.isEmpty()) {
            throw new Failures.UserException(Failures.USAGE, "nothing to send: give -m TEXT, --image FILE and/or --file PATH");
        }
        Mailbox box = Local.mailbox(ctx, Local.relay(ctx), me, quiet.quiet).inlineLimit(files.inlineLimit);
        Mailbox.Sent sent = box.send(to, subject, text, attachments, outgoing,
                Local.stopOnKeyFailure(TerminalProgress.of(quiet.quiet), me));
        var blobs = sent.letter().blobs();
        ctx.out().printf("sent %s to %s (%,d bytes sealed%s, signed by %s)%n", sent.response().id(),
                String.join(", ", sent.response().recipients()), sent.sealedBytes(),
                blobs.isEmpty() ? "" : String.format(" + %,d bytes in %d streamed file%s", sent.letter().blobBytes(),
                        blobs.size(), blobs.size() == 1 ? "" : "s"), me.name());
        return 0;
    }
}
