package dev.sealpost.cli;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.client.RelayProfile;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.crypto.Pem;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.SessionResponse;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sealpost register}: creates the account, logs in and publishes the certificates. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Create an account on a relay for your identity, log in, and publish your certificates in its key directory.")
final class RegisterCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin RelayOptions relayOptions;
    @Mixin PasswordOption password;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        PublicIdentity me = Local.publicIdentity(ctx);
        RelayProfile profile = relayOptions.toProfile(me.name());
        if (profile == null) {
            throw new Failures.UserException(Failures.USAGE, "missing --relay URL --relay-fingerprint SHA256:... (both printed by 'sealpost relay')");
        }
        RelayClient relay = profile.connect(ctx.home());
        char[] pw = Secrets.read(ctx, password.file, "SEALPOST_PASSWORD", "New relay password for " + me.name(), true, "password");
        SessionResponse session;
        try {
            if (pw.length < 8) {
                throw new Failures.UserException(Failures.USAGE, "the password needs at least 8 characters");
            }
            try {
                relay.accounts().register(me.name(), pw, new KeyBundle(me.name(), Pem.encodeCertificate(me.signingCertificate()),
                        Pem.encodeCertificate(me.encryptionCertificate())));
            } catch (RelayException e) {
                if (e.is(409)) {
                    throw new RelayException.Refused(409, "account " + me.name() + " already exists on this relay; run sealpost login");
                }
                if (e.is(403)) { // the relay's organisation CA did not issue these certificates
                    throw new Failures.UserException(Failures.SECURITY, e.getMessage());
                }
                throw e;
            }
            session = relay.accounts().login(me.name(), pw);
        } finally {
            Arrays.fill(pw, '\0');
        }
        profile.save(ctx.home());
        Local.startSession(ctx, relay, me, session);
        if (!quiet.quiet) {
            ctx.out().printf("registered %s at %s and published your certificates%n", me.name(), profile.url());
        }
        return 0;
    }
}
