import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long opening, reading and closing a 4 KiB file takes on many virtual threads at once, the
 * way the relay serves a sealed message from its folder (issue 14, docs/BENCHMARKS.md, ninth
 * round): {@code channel} through {@code Files.newInputStream} (a {@code FileChannel}, whose open
 * and close take the JDK's common {@code Cleaner} list), {@code async} through an
 * {@code AsynchronousFileChannel} run on the caller (as {@code CallerRunsFileInput}).
 *
 * <p>Usage: {@code java bench/FileOpenUnderVirtualThreads.java channel|async THREADS [SECONDS]}
 * (JDK 25). Each thread reads a random file of 2,000, then spins for about as long as a TLS write
 * of the message takes and yields, as a request would. Printed: reads per second and the time of
 * the open, read and close alone (p50, p99, p99.9, max), for the second of two rounds.
 */
public class FileOpenUnderVirtualThreads {
    private static final int FILES = 2_000;

    public static void main(String[] args) throws Exception {
        boolean async = switch (args[0]) {
            case "async" -> true;
            case "channel" -> false;
            default -> throw new IllegalArgumentException("channel or async, not " + args[0]);
        };
        int threads = Integer.parseInt(args[1]);
        long seconds = args.length > 2 ? Long.parseLong(args[2]) : 8;
        Path dir = Files.createTempDirectory("vt-open");
        byte[] data = new byte[4096];
        new Random(1).nextBytes(data);
        for (int i = 0; i < FILES; i++) {
            Files.write(dir.resolve("m" + i), data);
        }
        try {
            for (int round = 1; round <= 2; round++) {
                run(async, threads, seconds, dir, round == 2);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private static void run(boolean async, int threads, long seconds, Path dir, boolean print) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ConcurrentLinkedQueue<long[]> times = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int seed = t;
                executor.submit(() -> {
                    long[] mine = new long[1 << 18];
                    int n = 0;
                    Random random = new Random(seed);
                    long sink = 0;
                    while (System.nanoTime() < end) {
                        Path file = dir.resolve("m" + random.nextInt(FILES));
                        long start = System.nanoTime();
                        sink += async ? readAsync(file) : readChannel(file);
                        long took = System.nanoTime() - start;
                        for (int k = 0; k < 20_000; k++) { // about a TLS write of 4 KiB
                            sink += k ^ start;
                        }
                        Thread.yield();
                        if (n < mine.length) {
                            mine[n++] = took;
                        }
                        reads.incrementAndGet();
                    }
                    times.add(Arrays.copyOf(mine, n));
                    return sink;
                });
            }
        }
        if (!print) {
            return;
        }
        long[] all = times.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%s threads=%d reads/s=%d open+read+close ms: p50=%.3f p99=%.3f p99.9=%.3f max=%.1f over 100 ms=%d%n",
                async ? "async" : "channel", threads, reads.get() / seconds, all[all.length / 2] / 1e6,
                all[(int) (all.length * 0.99)] / 1e6, all[(int) (all.length * 0.999)] / 1e6, all[all.length - 1] / 1e6,
                Arrays.stream(all).filter(v -> v > 100_000_000L).count());
    }

    private static int readChannel(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8192).length;
        }
    }

    private static int readAsync(Path file) throws Exception {
        try (AsynchronousFileChannel c = AsynchronousFileChannel.open(file, Set.of(StandardOpenOption.READ), CALLER_RUNS)) {
            return c.read(ByteBuffer.allocate(8192), 0).get();
        }
    }

    private static final AbstractExecutorService CALLER_RUNS = new AbstractExecutorService() {
        @Override public void execute(Runnable task) { task.run(); }
        @Override public void shutdown() { }
        @Override public List<Runnable> shutdownNow() { return List.of(); }
        @Override public boolean isShutdown() { return false; }
        @Override public boolean isTerminated() { return false; }
        @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return false; }
    };
}
