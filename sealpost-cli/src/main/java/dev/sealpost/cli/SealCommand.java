package dev.sealpost.cli;

import dev.sealpost.client.Attachment;
import dev.sealpost.client.Bundle;
import dev.sealpost.client.OutgoingFile;
import dev.sealpost.client.Contacts;
import dev.sealpost.client.Letter;
import dev.sealpost.client.SealpostHome;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.crypto.Smime;
import dev.sealpost.protocol.AccountName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
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
        LinkedHashSet<String> names = new LinkedHashSet<>();
        List<X509Certificate> certs = new ArrayList<>();
        Contacts contacts = Contacts.load(ctx.home());
        for (String r : to) {
            Path file = Path.of(r);
            if (Files.isRegularFile(file)) {
                X509Certificate cert = Pem.readCertificate(file);
                names.add(commonName(cert, file));
                certs.add(cert);
            } else if (AccountName.isValid(r)) {
                PublicIdentity p = contacts.get(r).orElseThrow(() -> new Failures.UserException(Failures.ERROR,
                        "unknown recipient: " + r + " is neither a certificate file nor a pinned contact"));
                names.add(r);
                certs.add(p.encryptionCertificate());
            } else {
                throw new Failures.UserException(Failures.ERROR, "no such certificate file: " + r);
            }
        }
        Identity me = Local.identity(ctx, pass, true, false); // the signing key decrypts while files are read and encrypted
        List<OutgoingFile> outgoing = files.expand();
        List<Attachment> attachments = new ArrayList<>(images.prepare(ctx, quiet.quiet));
        OutgoingFile.Split split = OutgoingFile.split(outgoing, files.inlineLimit);
        for (OutgoingFile f : split.inline()) {
            attachments.add(new Attachment(f.name(), f.mediaType(), Files.readAllBytes(f.path())));
        }
        List<OutgoingFile> large = split.blobs();
        List<String> recipients = List.copyOf(names);
        if (large.isEmpty()) {
            Letter letter = Letter.compose(me.name(), recipients, subject, text, attachments, Instant.now());
            byte[] sealed = Smime.seal(letter.toMime(), me, certs);
            SealpostHome.createAtomically(output, sealed); // never replaces a file that appeared meanwhile
            ctx.out().printf("sealed %s for %s (%,d bytes, signed by %s)%n", output, String.join(", ", names), sealed.length, me.name());
            return 0;
        }
        long size = Bundle.write(output, large, refs -> Smime.seal(
                Letter.compose(me.name(), recipients, subject, text, attachments, refs, Instant.now()).toMime(), me, certs),
                Local.stopOnKeyFailure(TerminalProgress.of(quiet.quiet), me));
        ctx.out().printf("sealed %s for %s (%,d bytes, %d streamed file%s, signed by %s)%n", output, String.join(", ", names),
                size, large.size(), large.size() == 1 ? "" : "s", me.name());
        return 0;
    }

    static String commonName(X509Certificate cert, Path file) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        var rdns = subject.getRDNs(BCStyle.CN);
        String cn = rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
        if (!AccountName.isValid(cn)) {
            throw new Failures.UserException(Failures.ERROR, file + ": certificate subject "
                    + cert.getSubjectX500Principal().getName(X500Principal.RFC2253) + " has no sealpost name (CN)");
        }
        return cn;
    }
}
