package dev.sealpost.cli;

import dev.sealpost.client.BlobSource;
import dev.sealpost.client.Bundle;
import dev.sealpost.client.Contacts;
import dev.sealpost.client.IncomingPipeline;
import dev.sealpost.client.LetterOpener;
import dev.sealpost.client.Opened;
import dev.sealpost.client.Recipients;
import dev.sealpost.client.TrustedSigner;
import dev.sealpost.client.TrustedSigners;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost open}: decrypt and verify an S/MIME file, offline. */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = "Decrypt an S/MIME file, verify its signature against a sender you trust, print the text and save the attachments.")
final class OpenCommand implements Callable<Integer> {
    private static final long MAX_INPUT_BYTES = 1L << 30;

    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PassphraseOption pass;

    @Parameters(paramLabel = "IN.p7m", description = "The sealed file.")
    Path input;

    @Option(names = "--from", paramLabel = "CERT",
            description = "The sender's signing certificate file; without it the signer must be a pinned contact (or you).")
    Path from;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "received", description = "Where to save attachments (default: ./received).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        boolean bundle = Bundle.isBundle(input);
        if (!bundle && Files.size(input) > MAX_INPUT_BYTES) {
            throw new Failures.UserException(Failures.ERROR, input + " is larger than " + MAX_INPUT_BYTES + " bytes");
        }
        Optional<TrustedSigner> given = Optional.empty();
        if (from != null) {
            X509Certificate cert = Pem.readCertificate(from);
            given = Optional.of(new TrustedSigner(Recipients.commonName(cert, from), cert));
        }
        Identity me = Local.identity(ctx, pass, false, true);
        LetterOpener.SignerLookup signers = TrustedSigners.offline(me, Contacts.load(ctx.home()), given);
        IncomingPipeline pipeline = new IncomingPipeline(me);
        Opened opened;
        List<Path> saved;
        if (bundle) {
            try (Bundle.Contents contents = Bundle.open(input)) {
                opened = pipeline.open(contents.sealed(), signers);
                saved = pipeline.save(opened.letter(), contents, out, false, TerminalProgress.of(quiet.quiet));
            }
        } else {
            opened = pipeline.open(Files.readAllBytes(input), signers);
            saved = pipeline.save(opened.letter(), BlobSource.NONE, out, true, TerminalProgress.of(quiet.quiet));
        }
        Report.opened(ctx, input.getFileName().toString(), opened, saved, quiet.quiet);
        return 0;
    }
}
