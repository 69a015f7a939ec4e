package dev.sealpost.crypto;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Not a unit test: measures {@link BlobCipher} file-to-file throughput, in MB/s (10^6 bytes of
 * plaintext per second), for each of several iterations in one JVM. The first iteration is the
 * fresh-JVM figure (the JIT has not compiled the GCM path yet), later ones the warm figure.
 *
 * <p>Usage: {@code java -cp target/classes:target/test-classes:<deps>
 * dev.sealpost.crypto.BlobCipherThroughput [MiB=1024] [iterations=2] [dir=/tmp] [both|encrypt|decrypt]}.
 * The plaintext file is made once (pseudo-random bytes) and reused; the page cache serves it.
 * The secret is fixed, so {@code encrypt} leaves a blob (and its digest beside it) that a later
 * {@code decrypt} run measures in a JVM of its own. Besides wall time it prints the process's CPU
 * time (all threads, JIT compilers included) and the calling thread's (read and AES-GCM; SHA-256
 * and writing run on two workers), which tell what a quiet two-core machine would do when other
 * processes compete for the CPU.
 */
public final class BlobCipherThroughput {
    private BlobCipherThroughput() {}

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Path.of(args.length > 2 ? args[2] : "/tmp");
        String mode = args.length > 3 ? args[3] : "both";
        long size = mib << 20;
        Path plain = dir.resolve("sealpost-blob-" + mib + "MiB.plain");
        Path sealed = dir.resolve("sealpost-blob-" + mib + "MiB.sealed");
        Path digestFile = dir.resolve("sealpost-blob-" + mib + "MiB.sealed.sha256");
        Path opened = dir.resolve("sealpost-blob-" + mib + "MiB.opened");
        if (!Files.exists(plain) || Files.size(plain) != size) {
            makePlaintext(plain, size);
        }
        BlobSecret secret = new BlobSecret(new byte[32], new byte[32], new byte[7]); // fixed: benchmark only
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int it = 1; it <= iterations; it++) {
            StringBuilder line = new StringBuilder("iteration " + it + ": " + mib + " MiB");
            if (!mode.equals("decrypt")) {
                long p0 = os.getProcessCpuTime();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                byte[] digest;
                try (FileChannel in = FileChannel.open(plain);
                     FileChannel out = FileChannel.open(sealed, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                             StandardOpenOption.TRUNCATE_EXISTING)) {
                    digest = BlobCipher.encrypt(secret, in, size, 0, out, null);
                }
                line.append(figures("encrypt", size, System.nanoTime() - t0, os.getProcessCpuTime() - p0,
                        threads.getCurrentThreadCpuTime() - c0));
                Files.writeString(digestFile, HexFormat.of().formatHex(digest));
            }
            if (!mode.equals("encrypt")) {
                byte[] digest = HexFormat.of().parseHex(Files.readString(digestFile).strip());
                long p0 = os.getProcessCpuTime();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                try (FileChannel in = FileChannel.open(sealed);
                     FileChannel out = FileChannel.open(opened, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                             StandardOpenOption.TRUNCATE_EXISTING)) {
                    BlobCipher.decrypt(secret.ikm(), in, Files.size(sealed), digest, out, null);
                }
                line.append(figures("decrypt", size, System.nanoTime() - t0, os.getProcessCpuTime() - p0,
                        threads.getCurrentThreadCpuTime() - c0));
            }
            System.out.println(line);
        }
        if (!mode.equals("encrypt")) {
            if (Files.mismatch(plain, opened) != -1) {
                throw new IllegalStateException("round trip changed the plaintext");
            }
            Files.delete(opened);
        }
        if (mode.equals("both")) {
            Files.delete(sealed);
            Files.delete(digestFile);
        }
    }

    private static String figures(String what, long bytes, long wallNanos, long processCpuNanos, long callerCpuNanos) {
        return String.format("  %s %.0f MB/s (%.2f s wall; cpu %.2f s process, %.2f s caller)", what,
                bytes * 1e3 / wallNanos, wallNanos / 1e9, processCpuNanos / 1e9, callerCpuNanos / 1e9);
    }

    private static void makePlaintext(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long done = 0; done < size; done += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long v = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        chunk[i + j] = (byte) (v >>> (8 * j));
                    }
                }
                int n = (int) Math.min(chunk.length, size - done);
                out.write(ByteBuffer.wrap(chunk, 0, n));
            }
        }
    }
}
