package dev.sealpost.cli;

import dev.sealpost.crypto.Identity;
import dev.sealpost.crypto.IdentityFiles;
import dev.sealpost.crypto.Suite;
import dev.sealpost.protocol.AccountName;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost init}: creates the signing and encryption key pairs with their certificates. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create your identity: a signing and an encryption key pair, each with an X.509 certificate; private keys encrypted with a passphrase.")
final class InitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;
    @Mixin PassphraseOption pass;

    @Option(names = "--name", required = true, description = "Your account name (lowercase letters, digits, . _ -).")
    String name;

    @Option(names = "--suite", defaultValue = "rsa", description = "rsa (default) or p256 (ECDSA + ECDH on NIST P-256).")
    String suite;

    @Option(names = "--rsa-bits", defaultValue = "3072", description = "RSA key size: 2048, 3072 (default) or 4096.")
    int rsaBits;

    @Option(names = "--csr", paramLabel = "FILE",
            description = "Also write a PKCS#10 request for your signing certificate to FILE, for your organisation's CA "
                    + "(sealpost ca sign), then install what it issues with sealpost cert install.")
    java.nio.file.Path csr;

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        AccountName.require(name);
        Suite s = Suite.parse(suite);
        if (IdentityFiles.exists(ctx.home().identityDir())) {
            throw new Failures.UserException(Failures.ERROR, "an identity already exists in " + ctx.home().identityDir()
                    + "; nothing changed");
        }
        char[] passphrase = Secrets.read(ctx, pass.file, "SEALPOST_PASSPHRASE", "New passphrase for your keys", true, "passphrase");
        try {
            Identity id = Identity.generate(name, s, rsaBits);
            if (csr != null && java.nio.file.Files.exists(csr)) {
                throw new Failures.UserException(Failures.ERROR, csr + " exists already; nothing changed");
            }
            IdentityFiles.write(ctx.home().identityDir(), id, passphrase);
            if (csr != null) {
                dev.sealpost.crypto.AtomicFiles.createNew(csr, id.signingRequest().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        dev.sealpost.crypto.AtomicFiles.PUBLIC_READ);
            }
            if (!quiet.quiet) { // 'sealpost whoami' prints the fingerprints for scripts
                ctx.out().printf("created identity %s (%s) in %s%n", name, s == Suite.RSA ? "RSA-" + rsaBits : "P-256",
                        ctx.home().identityDir());
                ctx.out().printf("signing    %s%n", id.publicIdentity().signingFingerprint());
                ctx.out().printf("encryption %s%n", id.publicIdentity().encryptionFingerprint());
                if (csr != null) {
                    ctx.out().printf("certificate request in %s: give it to your CA (sealpost ca sign)%n", csr);
                }
            }
            return 0;
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }
}
