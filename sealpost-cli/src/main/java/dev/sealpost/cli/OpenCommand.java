package dev.sealpost.cli;

import dev.sealpost.client.AttachmentWriter;
import dev.sealpost.client.Bundle;
import dev.sealpost.client.Contacts;
import dev.sealpost.client.LetterOpener;
import dev.sealpost.client.Opened;
import dev.sealpost.client.TrustedSigner;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
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
            given = Optional.of(new TrustedSigner(SealCommand.commonName(cert, from), cert));
        }
        Identity me = Local.identity(ctx, pass, false, true);
        Contacts contacts = Contacts.load(ctx.home());
        Optional<TrustedSigner> explicit = given;
        LetterOpener.SignerLookup lookup = claimed -> {
            if (explicit.isPresent()) {
                return explicit;
            }
            if (claimed.isEmpty()) {
                return Optional.empty();
            }
            Fingerprint fp = Fingerprint.of(claimed.get());
            if (fp.equals(me.publicIdentity().signingFingerprint())) {
                return Optional.of(new TrustedSigner(me.name(), me.signingCertificate()));
            }
            for (String name : contacts.names()) {
                PublicIdentity p = contacts.get(name).orElseThrow();
                if (p.signingFingerprint().equals(fp)) {
                    return Optional.of(new TrustedSigner(name, p.signingCertificate()));
                }
            }
            return Optional.empty();
        };
        Opened opened;
        List<Path> saved;
        if (bundle) {
            Bundle.Result r = Bundle.open(input, me, lookup, out, TerminalProgress.of(quiet.quiet));
            opened = r.opened();
            saved = r.saved();
        } else {
            opened = LetterOpener.open(Files.readAllBytes(input), me, lookup);
            if (!opened.letter().blobs().isEmpty()) {
                throw new Failures.UserException(Failures.ERROR, input + " references streamed files that are not in it "
                        + "(a message from the relay: use sealpost receive)");
            }
            saved = AttachmentWriter.saveAll(opened.letter().attachments(), out);
        }
        Report.opened(ctx, input.getFileName().toString(), opened, saved, quiet.quiet);
        return 0;
    }
}
