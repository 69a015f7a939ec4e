package dev.sealpost.cli;

import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost export --certs DIR}: writes the two public certificates as PEM. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write your public certificates as PEM: NAME-sig-cert.pem (signing) and NAME-enc-cert.pem (encryption).")
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;

    @Option(names = "--certs", required = true, paramLabel = "DIR", description = "Folder to write the certificates to.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        PublicIdentity me = Local.publicIdentity(ctx);
        Files.createDirectories(dir);
        Path sig = dir.resolve(me.name() + "-sig-cert.pem");
        Path enc = dir.resolve(me.name() + "-enc-cert.pem");
        AtomicFiles.replace(sig, Pem.encodeCertificate(me.signingCertificate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
        AtomicFiles.replace(enc, Pem.encodeCertificate(me.encryptionCertificate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
        if (!quiet.quiet) {
            ctx.out().printf("wrote %s%nwrote %s%n", sig, enc);
        }
        return 0;
    }
}
