package dev.sealpost.cli;

import dev.sealpost.client.RelayProfile;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.relay.RelayException;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SessionInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost sessions}: where your account is logged in, and ending those sessions. */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = "List your account's sessions on the relay (created, last used, client, address), or revoke them.",
        subcommands = {SessionsCommand.Revoke.class})
final class SessionsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        RelayClient relay = Local.relay(ctx);
        ctx.out().printf("%-16s  %-20s  %-20s  %-16s  %s%n", "ID", "CREATED", "LAST USED", "ADDRESS", "CLIENT");
        for (SessionInfo s : relay.accounts().sessions().sessions()) {
            ctx.out().printf("%-16s  %-20s  %-20s  %-16s  %s%s%n", s.id(), minutes(s.createdAt()),
                    s.lastUsedAt() == null ? "-" : minutes(s.lastUsedAt()), s.address() == null ? "-" : s.address(),
                    s.client() == null ? "-" : Terminal.printable(s.client()), s.current() ? "  (this one)" : "");
        }
        return 0;
    }

    private static String minutes(java.time.Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "End one session by its ID (its token stops working at once), or with --all every session but this one.")
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;
        @Parameters(arity = "0..1", paramLabel = "ID", description = "A session ID from sealpost sessions.")
        String id;
        @Option(names = "--all", description = "Every session of your account but this one.")
        boolean all;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            if (all == (id != null)) {
                throw new Failures.UserException(Failures.USAGE, "give one session ID, or --all");
            }
            RelayClient relay = Local.relay(ctx);
            try {
                if (all) {
                    relay.accounts().revokeOtherSessions();
                } else {
                    relay.accounts().revokeSession(id);
                }
            } catch (RelayException.Refused r) {
                if (r.status() == 404) {
                    throw new Failures.UserException(Failures.ERROR, "no session " + id + " (sealpost sessions lists them)");
                }
                throw r;
            }
            if (!quiet.quiet) {
                ctx.out().println(all ? "every other session revoked" : "session " + id + " revoked");
            }
            return 0;
        }
    }

    /** {@code sealpost logout}: ends this session on the relay and forgets its token. */
    @Command(name = "logout", mixinStandardHelpOptions = true, description = "End this session on the relay and forget its token.")
    static final class Logout implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            RelayProfile.Session saved = RelayProfile.Session.load(ctx.home()).orElse(null);
            if (saved == null) {
                throw new Failures.UserException(Failures.USAGE, "not logged in");
            }
            try {
                Local.relay(ctx).accounts().revokeSession(Api.CURRENT_SESSION);
            } catch (RelayException.Refused r) {
                if (!r.is(401)) { // expired or revoked already: forgetting it is all that is left
                    throw r;
                }
            } catch (Failures.UserException expired) {
                // the saved session expired: nothing to end on the relay
            }
            RelayProfile.Session.forget(ctx.home());
            if (!quiet.quiet) {
                ctx.out().println("logged out");
            }
            return 0;
        }
    }
}
