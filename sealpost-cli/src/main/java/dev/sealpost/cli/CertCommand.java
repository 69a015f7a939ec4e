package dev.sealpost.cli;

import dev.sealpost.client.RelayProfile;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.Pem;
import dev.sealpost.protocol.KeyBundle;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost cert}: your certificates from an organisation CA. */
@Command(name = "cert", mixinStandardHelpOptions = true, description = "Install the signing certificate your organisation's CA issued.",
        subcommands = {CertCommand.Install.class})
final class CertCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(Ctx.of(spec).err());
        return Failures.USAGE;
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install CERT (from sealpost ca sign) as your signing certificate and re-issue your encryption "
                    + "certificate under it, so both chain to the CA; makes a device key for relays that require client "
                    + "certificates (mutual TLS); publishes the certificates if you are logged in.")
    static final class Install implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;
        @Mixin PassphraseOption pass;
        @Parameters(paramLabel = "CERT", description = "The issued signing certificate (PEM).")
        Path cert;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            X509Certificate issued = Pem.readCertificate(cert);
            Identity me = Local.identity(ctx, pass, true, false);
            Identity recertified;
            try {
                recertified = me.recertified(issued);
            } catch (IllegalArgumentException e) {
                throw new Failures.UserException(Failures.SECURITY, e.getMessage());
            }
            IdentityFiles.replaceCertificates(ctx.home().identityDir(), recertified);
            // a device key for relays that require client certificates: issued by the CA-issued signing certificate
            IdentityFiles.writeDeviceKey(ctx.home().identityDir(), recertified.issueDeviceKey());
            boolean published = false;
            if (RelayProfile.Session.load(ctx.home()).filter(s -> s.expiresAt().isAfter(java.time.Instant.now())).isPresent()) {
                RelayClient relay = Local.relay(ctx);
                relay.accounts().publishKeys(new KeyBundle(me.name(), Pem.encodeCertificate(recertified.signingCertificate()),
                        Pem.encodeCertificate(recertified.encryptionCertificate())));
                published = true;
            }
            if (!quiet.quiet) {
                ctx.out().printf("installed; signing %s issued by %s%s%n", recertified.publicIdentity().signingFingerprint(),
                        issued.getIssuerX500Principal().getName(), published ? "; published to your relay" : "");
            }
            return 0;
        }
    }
}
