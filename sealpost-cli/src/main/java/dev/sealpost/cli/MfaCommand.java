package dev.sealpost.cli;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.protocol.MfaEnrollment;
import dev.sealpost.protocol.RecoveryCodes;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sealpost mfa}: a second factor for logging in to the relay (TOTP, RFC 6238). */
@Command(name = "mfa", mixinStandardHelpOptions = true,
        description = "Turn on, confirm or turn off a second factor for your relay account: a 6-digit code from an "
                + "authenticator app at every login.",
        subcommands = {MfaCommand.Enable.class, MfaCommand.Confirm.class, MfaCommand.Disable.class})
final class MfaCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(Ctx.of(spec).err());
        return Failures.USAGE;
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Start: prints an otpauth:// link (standard output) and its QR code for your authenticator "
                    + "app; then run sealpost mfa confirm with the code it shows.")
    static final class Enable implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            RelayClient relay = Local.relay(ctx);
            MfaEnrollment e = relay.accounts().beginMfa();
            ctx.out().println(e.uri());
            ctx.out().flush();
            ctx.err().print(TerminalQr.draw(e.uri()));
            ctx.err().println("Scan this with your authenticator app, or type in the secret " + e.secret() + ".");
            ctx.err().println("Then run: sealpost mfa confirm   (it asks for the code the app shows; nothing changes until then)");
            ctx.err().flush();
            return 0;
        }
    }

    @Command(name = "confirm", mixinStandardHelpOptions = true,
            description = "Finish: give the code your app shows; from then on every login needs one. Prints ten "
                    + "single-use recovery codes, once: keep them somewhere safe.")
    static final class Confirm implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin OtpOption otp;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            RelayClient relay = Local.relay(ctx);
            char[] code = otp.read(ctx);
            RecoveryCodes codes;
            try {
                codes = relay.accounts().confirmMfa(code);
            } catch (RelayException.Refused r) {
                throw LoginFailure.of(r);
            } finally {
                Arrays.fill(code, '\0');
            }
            ctx.err().println("Second factor on. Recovery codes (each logs in once without the app; shown only now):");
            ctx.err().flush();
            codes.codes().forEach(ctx.out()::println);
            ctx.out().flush();
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Turn the second factor off; needs a current code (or a recovery code).")
    static final class Disable implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin OtpOption otp;
        @Mixin QuietOption quiet;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            RelayClient relay = Local.relay(ctx);
            char[] code = otp.read(ctx);
            try {
                relay.accounts().disableMfa(code);
            } catch (RelayException.Refused r) {
                throw LoginFailure.of(r);
            } finally {
                Arrays.fill(code, '\0');
            }
            if (!quiet.quiet) {
                ctx.out().println("second factor off: logins need only the password");
            }
            return 0;
        }
    }
}
