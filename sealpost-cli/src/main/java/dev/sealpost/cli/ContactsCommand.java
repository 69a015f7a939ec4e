package dev.sealpost.cli;

import dev.sealpost.client.Contacts;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.crypto.PublicIdentity;
import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.KeyBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost contacts}: the pinned certificates of the people you exchange messages with. */
@Command(name = "contacts", mixinStandardHelpOptions = true,
        description = "List pinned contacts, or re-verify one whose certificates changed.",
        subcommands = {ContactsCommand.ListContacts.class, ContactsCommand.Trust.class})
final class ContactsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;

    @Override
    public Integer call() {
        return new ListContacts().print(Ctx.of(spec));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List pinned contacts and their signing fingerprints.")
    static final class ListContacts implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;

        @Override
        public Integer call() {
            return print(Ctx.of(spec));
        }

        int print(Ctx ctx) {
            try {
                Contacts contacts = Contacts.load(ctx.home());
                if (contacts.names().isEmpty()) {
                    ctx.out().println("no contacts pinned yet");
                }
                for (String name : contacts.names()) {
                    PublicIdentity p = contacts.get(name).orElseThrow();
                    ctx.out().printf("%-16s %s %s%n", name, p.signingFingerprint(),
                            contacts.isVerified(name) ? "verified" : "pinned on first use");
                }
                return 0;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = "After comparing NAME's signing fingerprint with them (in person, by phone), pin the certificates the relay offers now.")
    static final class Trust implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin QuietOption quiet;

        @Parameters(paramLabel = "NAME", description = "The contact's account name.")
        String name;

        @Option(names = "--fingerprint", required = true, paramLabel = "SHA256:...",
                description = "The signing fingerprint NAME read out to you ('sealpost whoami' shows it).")
        String fingerprint;

        @Override
        public Integer call() throws Exception {
            Ctx ctx = Ctx.of(spec);
            AccountName.require(name);
            Fingerprint expected = Fingerprint.parse(fingerprint);
            KeyBundle bundle = Local.relay(ctx).accounts().keys(name);
            PublicIdentity p = Contacts.load(ctx.home()).trust(bundle, expected);
            if (!quiet.quiet) {
                ctx.out().printf("trusted %s: signing %s, encryption %s%n", name, p.signingFingerprint(), p.encryptionFingerprint());
            }
            return 0;
        }
    }
}
