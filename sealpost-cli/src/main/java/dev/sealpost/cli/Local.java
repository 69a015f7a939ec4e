package dev.sealpost.cli;

import dev.sealpost.client.Contacts;
import dev.sealpost.client.IncomingPipeline;
import dev.sealpost.client.PinnedKeys;
import dev.sealpost.client.RelayInbox;
import dev.sealpost.client.Progress;
import dev.sealpost.client.relay.RelayClient;
import dev.sealpost.client.RelayProfile;
import dev.sealpost.client.SealpostHome;
import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.KeyUnlockException;
import dev.sealpost.crypto.Pem;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.SessionResponse;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;

/** Loads the local state commands share: the identity, the relay profile and session. */
final class Local {
    private Local() {}

    static PublicIdentity publicIdentity(Ctx ctx) throws IOException {
        SealpostHome home = ctx.home();
        requireIdentity(home);
        return IdentityFiles.readPublic(home.identityDir());
    }

    /**
     * Opens the identity and starts decrypting the key the command needs first on a background
     * thread (600,000 PBKDF2 iterations, ~0.3 s of one core), so that the command's other work
     * (reading and encrypting files, connecting to the relay) overlaps with it. A key not asked
     * for is decrypted if and when it is used.
     *
     * @param signing   the command signs (seal, send)
     * @param encryption the command decrypts (open, receive, inbox)
     */
    static Identity identity(Ctx ctx, PassphraseOption pass, boolean signing, boolean encryption)
            throws IOException, GeneralSecurityException {
        SealpostHome home = ctx.home();
        requireIdentity(home);
        char[] passphrase = Secrets.read(ctx, pass.file, "SEALPOST_PASSPHRASE", "Passphrase for your keys", false, "passphrase");
        try {
            return IdentityFiles.open(home.identityDir(), passphrase).prepareKeys(signing, encryption);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * Progress that also stops a long transfer as soon as a key decrypting in the background
     * has failed (a wrong passphrase), instead of at the end when the key is needed.
     */
    static Progress stopOnKeyFailure(Progress progress, Identity me) {
        return (label, total) -> {
            Progress.Task task = progress.start(label, total);
            return new Progress.Task() {
                @Override
                public void update(long doneBytes) {
                    java.util.Optional<KeyUnlockException> failed = me.keyFailure();
                    if (failed.isPresent()) {
                        throw new Failures.Deferred(failed.get());
                    }
                    task.update(doneBytes);
                }

                @Override
                public void close() {
                    task.close();
                }
            };
        };
    }

    static RelayProfile profile(Ctx ctx) throws IOException {
        return RelayProfile.load(ctx.home()).orElseThrow(() -> new Failures.UserException(Failures.USAGE,
                "no relay configured: run sealpost register --relay URL --relay-fingerprint SHA256:..."));
    }

    /** @return a client carrying the saved token */
    static RelayClient relay(Ctx ctx) throws IOException {
        RelayProfile profile = profile(ctx);
        RelayProfile.Session session = RelayProfile.Session.load(ctx.home()).orElseThrow(() ->
                new Failures.UserException(Failures.USAGE, "not logged in: run sealpost login"));
        if (!session.expiresAt().isAfter(Instant.now())) {
            throw new Failures.UserException(Failures.USAGE, "session expired at " + session.expiresAt() + ": run sealpost login");
        }
        return profile.connect(ctx.home()).withToken(session.token());
    }

    /** @return where trust notices (a contact pinned on first use, a resumed transfer) go: the terminal unless {@code quiet} */
    static Consumer<String> notices(Ctx ctx, boolean quiet) {
        return n -> {
            if (!quiet) {
                ctx.out().println(Terminal.printable(n));
            }
        };
    }

    /** @return {@code me}'s pinned keys, pinning from {@code relay}'s key directory on first use */
    static PinnedKeys pinnedKeys(Ctx ctx, RelayClient relay, Identity me, boolean quiet) throws IOException {
        return new PinnedKeys(me, Contacts.load(ctx.home()), relay.accounts(), notices(ctx, quiet));
    }

    /** @return {@code me}'s messages on {@code relay} */
    static RelayInbox inbox(Ctx ctx, RelayClient relay, Identity me, boolean quiet) throws IOException {
        return new RelayInbox(relay, ctx.home(), new IncomingPipeline(me), pinnedKeys(ctx, relay, me, quiet), Clock.systemUTC(),
                notices(ctx, quiet));
    }

    /**
     * Keeps a new session and publishes the identity's certificates, so the relay's key
     * directory always matches this identity (also after a new {@code init} on a new machine).
     */
    static void startSession(Ctx ctx, RelayClient relay, PublicIdentity me, SessionResponse session) throws IOException {
        new RelayProfile.Session(session.token(), session.expiresAt()).save(ctx.home());
        relay.withToken(session.token()).accounts().publishKeys(new KeyBundle(me.name(),
                Pem.encodeCertificate(me.signingCertificate()), Pem.encodeCertificate(me.encryptionCertificate())));
    }

    private static void requireIdentity(SealpostHome home) {
        if (!IdentityFiles.exists(home.identityDir())) {
            throw new Failures.UserException(Failures.USAGE, "no identity in " + home.root()
                    + ": run sealpost init --name NAME (or set SEALPOST_HOME)");
        }
    }
}
