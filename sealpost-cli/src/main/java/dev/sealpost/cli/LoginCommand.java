package dev.sealpost.cli;

import dev.sealpost.client.relay.AccountApi;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.client.RelayProfile;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.Api;
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
    @Mixin OtpOption otp;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        PublicIdentity me = Local.publicIdentity(ctx);
        RelayProfile given = relayOptions.toProfile(me.name());
        RelayProfile profile = given != null ? given : Local.profile(ctx);
        RelayClient relay = profile.connect(ctx.home());
        char[] pw = Secrets.read(ctx, password.file, "SEALPOST_PASSWORD", "Relay password for " + me.name(), false, "password");
        SessionResponse session;
        try {
            session = login(ctx, relay, me.name(), pw, otp);
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

    /**
     * Logs in; when the account has a second factor, asks for the code (or takes it from
     * {@code --otp-file} or {@code SEALPOST_OTP}, sent at once then) and logs in with it.
     *
     * @throws Failures.UserException exit 3 for a wrong password or code, or a code used already
     */
    static SessionResponse login(Ctx ctx, RelayClient relay, String name, char[] password, OtpOption otp) throws java.io.IOException {
        char[] code = otp.given(ctx) ? otp.read(ctx) : null;
        try {
            try {
                return relay.accounts().login(name, password, code);
            } catch (RelayException.Refused r) {
                if (code != null || !AccountApi.needsSecondFactor(r)) {
                    throw LoginFailure.of(r);
                }
            }
            if (System.console() == null) {
                throw new Failures.UserException(Failures.SECURITY, Api.SECOND_FACTOR_REQUIRED
                        + " (give --otp-file FILE or set SEALPOST_OTP: there is no terminal to ask on)");
            }
            code = otp.read(ctx);
            try {
                return relay.accounts().login(name, password, code);
            } catch (RelayException.Refused r) {
                throw LoginFailure.of(r);
            }
        } finally {
            if (code != null) {
                Arrays.fill(code, '\0');
            }
        }
    }
}
