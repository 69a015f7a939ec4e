package dev.sealpost.cli;

import dev.sealpost.client.RelayProfile;
import dev.sealpost.crypto.PublicIdentity;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sealpost whoami}: your name and certificate fingerprints, to read out to contacts. */
@Command(name = "whoami", mixinStandardHelpOptions = true,
        description = "Print your name and the SHA-256 fingerprints of your two certificates.")
final class WhoamiCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        PublicIdentity me = Local.publicIdentity(ctx);
        ctx.out().printf("name       %s%n", me.name());
        ctx.out().printf("signing    %s%n", me.signingFingerprint());
        ctx.out().printf("encryption %s%n", me.encryptionFingerprint());
        if (!quiet.quiet) {
            RelayProfile.load(ctx.home()).ifPresent(p ->
                    ctx.out().printf("relay      %s as %s (%s)%n", p.url(), p.account(), p.fingerprint()));
        }
        return 0;
    }
}
