package dev.sealpost.cli;

import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.crypto.OrganisationCa;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.Suite;
import dev.sealpost.crypto.WrongPassphraseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost ca}: an organisation's certification authority in a folder (X.509, RFC 5280). */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "An organisation CA: make one, issue people's signing certificates, revoke them, publish a CRL.",
        subcommands = {CaCommand.Init.class, CaCommand.Sign.class, CaCommand.Revoke.class, CaCommand.Crl.class, CaCommand.Trust.class,
                CaCommand.SignServer.class})
final class CaCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(Ctx.of(spec).err());
        return Failures.USAGE;
    }

    /** Where the CA's folder is and how its key is unlocked. */
    static final class CaOptions {
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The CA's folder.")
        Path dir;

        @Option(names = "--ca-passphrase-file", paramLabel = "FILE",
                description = "Read the CA key's passphrase from the first line of FILE (else $SEALPOST_CA_PASSPHRASE, else a prompt).")
        Path passphraseFile;

        char[] passphrase(Ctx ctx, boolean confirm) throws java.io.IOException {
            return Secrets.read(ctx, passphraseFile, "SEALPOST_CA_PASSPHRASE", confirm ? "New passphrase for the CA key"
                    : "CA key passphrase", confirm, "ca-passphrase");
        }

        OrganisationCa open(Ctx ctx) throws java.io.IOException {
            char[] p = passphrase(ctx, false);
            try {
                return OrganisationCa.open(dir, p);
            } catch (WrongPassphraseException e) {
                throw new Failures.UserException(Failures.SECURITY, "wrong CA passphrase");
            } finally {
                Arrays.fill(p, '\0');
            }
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Make a CA: a key (encrypted) and a self-signed CA certificate, DIR/ca-cert.pem, the trust anchor "
                    + "to give relays (--trust-anchor) and people (sealpost ca trust).")
    static final class Init implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;
        @Mixin CaOptions ca;
        @Option(names = "--name", required = true, description = "The CA's name, e.g. \"Example Org CA\".")
        String name;
        @Option(names = "--suite", defaultValue = "rsa", description = "rsa (default, RSA-3072) or p256.")
        String suite;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            char[] p = ca.passphrase(ctx, true);
            try {
                OrganisationCa made = OrganisationCa.create(ca.dir, name, Suite.parse(suite), p, Clock.systemUTC());
                if (!quiet.quiet) {
                    ctx.out().printf("CA %s in %s; its certificate (the trust anchor): %s%n", name, ca.dir,
                            ca.dir.resolve(OrganisationCa.CERT));
                    ctx.out().printf("fingerprint %s%n", dev.sealpost.crypto.Fingerprint.of(made.certificate()));
                }
                return 0;
            } finally {
                Arrays.fill(p, '\0');
            }
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Check a request (sealpost init --csr) and issue its signing certificate to -o CERT: subject = the "
                    + "account name, path length 0 (it still issues the person's encryption certificate).")
    static final class Sign implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;
        @Mixin CaOptions ca;
        @Parameters(paramLabel = "FILE", description = "The PKCS#10 request (PEM).")
        Path request;
        @Option(names = {"-o", "--out"}, required = true, paramLabel = "CERT", description = "Where the certificate goes (PEM).")
        Path out;
        @Option(names = "--days", defaultValue = "365", description = "Validity in days (default 365, never past the CA's own).")
        int days;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            if (days < 1) {
                throw new Failures.UserException(Failures.USAGE, "--days must be at least 1");
            }
            if (Files.exists(out)) {
                throw new Failures.UserException(Failures.ERROR, out + " exists already; nothing changed");
            }
            String csr = Files.readString(request, StandardCharsets.US_ASCII);
            X509Certificate issued;
            try {
                issued = ca.open(ctx).sign(csr, Duration.ofDays(days), Clock.systemUTC());
            } catch (GeneralSecurityException e) {
                throw new Failures.UserException(Failures.SECURITY, "refused: " + e.getMessage());
            }
            AtomicFiles.createNew(out, Pem.encodeCertificate(issued).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
            if (!quiet.quiet) {
                ctx.out().printf("issued %s, serial %s, until %s, to %s%n", issued.getSubjectX500Principal().getName(),
                        issued.getSerialNumber().toString(16), issued.getNotAfter().toInstant(), out);
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Record a certificate this CA issued as revoked; publish it with sealpost ca crl.")
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;
        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The CA's folder.")
        Path dir;
        @Parameters(paramLabel = "CERT", description = "The certificate (PEM).")
        Path cert;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            X509Certificate c = Pem.readCertificate(cert);
            OrganisationCa.revoke(dir, c, Instant.now());
            if (!quiet.quiet) {
                ctx.out().printf("revoked serial %s (%s); now run sealpost ca crl%n", c.getSerialNumber().toString(16),
                        c.getSubjectX500Principal().getName());
            }
            return 0;
        }
    }

    @Command(name = "crl", mixinStandardHelpOptions = true,
            description = "Sign a certificate revocation list (RFC 5280 §5) of every revoked certificate, to -o FILE (PEM).")
    static final class Crl implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;
        @Mixin CaOptions ca;
        @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE", description = "Where the CRL goes (PEM).")
        Path out;
        @Option(names = "--days", defaultValue = "7", description = "Days until its next update (default 7).")
        int days;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            if (days < 1) {
                throw new Failures.UserException(Failures.USAGE, "--days must be at least 1");
            }
            java.security.cert.X509CRL crl = ca.open(ctx).crl(Clock.systemUTC(), Duration.ofDays(days));
            AtomicFiles.replace(out, Pem.encode("X509 CRL", crl.getEncoded()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
            if (!quiet.quiet) {
                ctx.out().printf("CRL with %d revoked certificates, next update %s, in %s%n",
                        crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size(), crl.getNextUpdate().toInstant(), out);
            }
            return 0;
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = "Trust your organisation's CA: contacts whose certificates it issued for their name are accepted "
                    + "without a first-use pin (and their new keys when it issued them); any other certificate is refused. "
                    + "Run again with a newer --crl to take revocations in.")
    static final class Trust implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;
        @Parameters(paramLabel = "CA.pem", description = "The CA certificate (sealpost ca init makes it).")
        Path anchor;
        @Option(names = "--crl", paramLabel = "FILE", description = "The CA's revocation list (sealpost ca crl).")
        Path crl;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            Path dir = ctx.home().root().resolve(dev.sealpost.client.Contacts.TRUST_DIR);
            // check both before anything is written: a CRL must be the CA's own
            dev.sealpost.crypto.OrganisationTrust checked = dev.sealpost.crypto.OrganisationTrust.load(anchor, crl, Clock.systemUTC());
            AtomicFiles.createPrivateDirectory(ctx.home().root());
            AtomicFiles.createPrivateDirectory(dir);
            AtomicFiles.replace(dir.resolve(dev.sealpost.client.Contacts.CA_FILE),
                    Pem.encodeCertificate(checked.anchor()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
            if (crl != null) {
                AtomicFiles.replace(dir.resolve(dev.sealpost.client.Contacts.CRL_FILE), Files.readAllBytes(crl), AtomicFiles.PUBLIC_READ);
            }
            if (!quiet.quiet) {
                ctx.out().printf("trusting %s (%s)%s%n", checked.anchor().getSubjectX500Principal().getName(),
                        dev.sealpost.crypto.Fingerprint.of(checked.anchor()), crl != null ? ", with its CRL" : "");
            }
            return 0;
        }
    }

    @Command(name = "sign-server", mixinStandardHelpOptions = true,
            description = "Issue a relay's TLS key and certificate (serverAuth) into --out DIR as cert.pem (with the CA's "
                    + "certificate after it) and key.pem: copy both into the relay's DATA/tls/ before it starts. Clients pin "
                    + "its fingerprint as always; TLS checkers then see a chain to your CA instead of a self-signed certificate.")
    static final class SignServer implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;
        @Mixin CaOptions ca;
        @Option(names = "--name", paramLabel = "DNS", description = "A DNS name of the relay (repeat for several; the first is the CN).")
        java.util.List<String> names = java.util.List.of();
        @Option(names = "--ip", paramLabel = "ADDRESS", description = "An IP address of the relay (repeat for several).")
        java.util.List<String> ips = java.util.List.of();
        @Option(names = "--crl-url", paramLabel = "URL", description = "Where this CA's CRL is published (http://...), put in the certificate.")
        String crlUrl;
        @Option(names = "--days", defaultValue = "365", description = "Validity in days (default 365; TLS checkers want at most 398).")
        int days;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where cert.pem and key.pem go.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            if (names.isEmpty() && ips.isEmpty()) {
                throw new Failures.UserException(Failures.USAGE, "give at least one --name or --ip");
            }
            if (days < 1) {
                throw new Failures.UserException(Failures.USAGE, "--days must be at least 1");
            }
            if (Files.exists(out.resolve("key.pem")) || Files.exists(out.resolve("cert.pem"))) {
                throw new Failures.UserException(Failures.ERROR, out + " holds a key or certificate already; nothing changed");
            }
            dev.sealpost.crypto.Identity.DeviceKey server = ca.open(ctx).issueServer(names, ips, Duration.ofDays(days), crlUrl,
                    Clock.systemUTC());
            AtomicFiles.createPrivateDirectory(out);
            StringBuilder chain = new StringBuilder();
            server.chain().forEach(c -> chain.append(Pem.encodeCertificate(c)));
            AtomicFiles.createNew(out.resolve("key.pem"), Pem.encode("PRIVATE KEY", server.key().getEncoded())
                    .getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
            AtomicFiles.createNew(out.resolve("cert.pem"), chain.toString().getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
            if (!quiet.quiet) {
                ctx.out().printf("relay certificate %s for %s in %s; copy cert.pem and key.pem into the relay's DATA/tls/%n",
                        dev.sealpost.crypto.Fingerprint.of(server.chain().getFirst()), String.join(", ",
                                java.util.stream.Stream.concat(names.stream(), ips.stream()).toList()), out);
            }
            return 0;
        }
    }
}
