package dev.sealpost.cli;

import dev.sealpost.client.Contacts;
import dev.sealpost.client.Draft;
import dev.sealpost.client.FileDestination;
import dev.sealpost.client.OutgoingPipeline;
import dev.sealpost.client.Recipient;
import dev.sealpost.client.Recipients;
import dev.sealpost.client.SealedFile;
import dev.sealpost.crypto.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost seal}: an S/MIME message to a file, offline. */
@Command(name = "seal", mixinStandardHelpOptions = true,
        description = "Sign and encrypt a message with images and files into one file, offline: an S/MIME file (.p7m) that OpenSSL can open, "
                + "or, with files above the inline bound, a sealpost bundle (the S/MIME message plus streamed blobs).")
final class SealCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PassphraseOption pass;
    @Mixin ImageInputs images;
    @Mixin FileInputs files;

    @Option(names = "--to", required = true, split = ",", paramLabel = "CERT|NAME",
            description = "A recipient: an encryption certificate file (PEM or DER), or the name of a pinned contact; repeatable.")
    List<String> to;

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", defaultValue = "", description = "The message text.")
    String text;

    @Option(names = {"-s", "--subject"}, paramLabel = "TEXT", defaultValue = "", description = "An optional subject.")
    String subject;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.p7m", description = "The file to write.")
    Path output;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        if (Files.exists(output)) {
            throw new Failures.UserException(Failures.ERROR, "already exists: " + output + " (choose another -o)");
        }
        List<Recipient> recipients = Recipients.resolve(to, Contacts.load(ctx.home()));
        Identity me = Local.identity(ctx, pass, true, false); // the signing key decrypts while files are read and encrypted
        Draft draft = new Draft(subject, text, images.prepare(ctx, quiet.quiet), files.expand());
        SealedFile sealed;
        try (FileDestination destination = new FileDestination(output)) {
            sealed = new OutgoingPipeline(me, Clock.systemUTC(), files.inlineLimit).send(recipients, draft, destination,
                    Local.stopOnKeyFailure(TerminalProgress.of(quiet.quiet), me));
        }
        if (!quiet.quiet) {
            String names = String.join(", ", recipients.stream().map(Recipient::name).toList());
            ctx.out().printf("sealed %s for %s (%,d bytes%s, signed by %s)%n", output, names, sealed.bytes(),
                    sealed.streamedFiles() == 0 ? "" : String.format(", %d streamed file%s", sealed.streamedFiles(),
                            sealed.streamedFiles() == 1 ? "" : "s"), me.name());
        }
        return 0;
    }
}
