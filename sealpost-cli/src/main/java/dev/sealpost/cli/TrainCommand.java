package dev.sealpost.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sealpost train} (hidden): a representative workload run once per build by the
 * {@code ./sealpost} launcher under {@code -XX:AOTCacheOutput}, so that later runs start from
 * a JDK AOT cache holding the loaded and linked classes and the method profiles of this run
 * (JEP 483, JEP 515): the demo flow over a real relay, then sealing and opening a 256 MiB file,
 * which trains the blob cipher's hot paths.
 */
@Command(name = "train", hidden = true, description = "Run the workload that trains the launcher's AOT cache.")
final class TrainCommand implements Callable<Integer> {
    private static final long TRAINING_BYTES = 256L << 20;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Ctx ctx = Ctx.of(spec);
        Path dir = Files.createTempDirectory("sealpost-train-");
        try {
            Map<String, String> env = Map.of("SEALPOST_HOME", dir.resolve("home").toString(),
                    "SEALPOST_PASSPHRASE", "training passphrase", "SEALPOST_PASSWORD", "training password");
            // the default suite (RSA), whose paths every default identity runs: RSA-OAEP and RSASSA-PSS on the JDK
            step(ctx, env, "demo", "-q");
            step(ctx, env, "init", "--name", "trainer");
            Path big = dir.resolve("train.bin");
            SplittableRandom random = new SplittableRandom(1);
            byte[] buf = new byte[1 << 20];
            try (OutputStream out = Files.newOutputStream(big)) {
                for (long n = 0; n < TRAINING_BYTES; n += buf.length) {
                    random.nextBytes(buf);
                    out.write(buf);
                }
            }
            Path sealed = dir.resolve("train.sp");
            step(ctx, env, "seal", "-q", "--to", dir.resolve("home/identity/enc-cert.pem").toString(), "--file", big.toString(),
                    "-m", "training", "-o", sealed.toString());
            step(ctx, env, "open", "-q", sealed.toString(), "--out", dir.resolve("out").toString());
            return 0;
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void step(Ctx ctx, Map<String, String> env, String... args) {
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        int code = Main.run(quiet, ctx.err(), env, args);
        if (code != 0) {
            throw new Failures.UserException(Failures.ERROR, "training step '" + args[0] + "' failed with exit " + code);
        }
    }
}
