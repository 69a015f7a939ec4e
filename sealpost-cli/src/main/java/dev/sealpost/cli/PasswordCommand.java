package dev.sealpost.cli;

import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost password}: changes the relay account's password; every other session ends. */
@Command(name = "password", mixinStandardHelpOptions = true,
        description = "Change your relay account's password (the old one is required). Every other session is revoked; "
                + "this one goes on.")
final class PasswordCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PasswordOption password;

    @Option(names = "--new-password-file", paramLabel = "FILE",
            description = "Read the new password from the first line of FILE (else $SEALPOST_NEW_PASSWORD, else a prompt, twice).")
    Path newPasswordFile;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        RelayClient relay = Local.relay(ctx);
        char[] old = Secrets.read(ctx, password.file, "SEALPOST_PASSWORD", "Current relay password", false, "password");
        char[] fresh = null;
        try {
            fresh = Secrets.read(ctx, newPasswordFile, "SEALPOST_NEW_PASSWORD", "New relay password", true, "new-password");
            relay.accounts().changePassword(old, fresh);
        } catch (RelayException.Refused r) {
            throw LoginFailure.of(r);
        } finally {
            Arrays.fill(old, '\0');
            if (fresh != null) {
                Arrays.fill(fresh, '\0');
            }
        }
        if (!quiet.quiet) {
            ctx.out().println("password changed; every other session was revoked");
        }
        return 0;
    }
}
