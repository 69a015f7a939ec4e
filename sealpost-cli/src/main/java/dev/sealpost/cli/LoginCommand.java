package dev.sealpost.cli;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.RelayProfile;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.SessionResponse;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sealpost login}: gets a fresh session token from the relay. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in to your relay (the one you registered with, or --relay/--relay-fingerprint), keep the session token, and publish your current certificates.")
final class LoginCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin RelayOptions relayOptions;
    @Mixin PasswordOption password;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        PublicIdentity me = Local.publicIdentity(ctx);
        RelayProfile given = relayOptions.toProfile(me.name());
        RelayProfile profile = given != null ? given : Local.profile(ctx);
        RelayClient relay = RelayClient.connect(profile.uri(), profile.pin());
        char[] pw = Secrets.read(ctx, password.file, "SEALPOST_PASSWORD", "Relay password for " + me.name(), false, "password");
        SessionResponse session;
        try {
            session = relay.accounts().login(me.name(), pw);
        } finally {
            Arrays.fill(pw, '\0');
        }
        if (given != null) {
            profile.save(ctx.home());
        }
        Local.startSession(ctx, relay, me, session);
        if (!quiet.quiet) {
            ctx.out().printf("logged in as %s at %s until %s%n", me.name(), profile.url(), session.expiresAt());
        }
        return 0;
    }
}
