package dev.sealpost.relay.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A file read from its first byte to its last through an {@link AsynchronousFileChannel} whose
 * operations run on the calling thread: a blocking read, as {@link
 * java.nio.file.Files#newInputStream} gives, without the JDK's common {@code Cleaner}.
 *
 * <p>Why (issue 14, docs/DECISIONS.md, "A sealed message is read without the JDK's Cleaner"): a
 * {@code FileChannel}, {@code FileInputStream} or {@code RandomAccessFile} registers its closer
 * with the JDK's one common {@code Cleaner} when it is opened and removes it when it is closed,
 * and both take one {@code synchronized} list ({@code jdk.internal.ref.CleanerImpl
 * $CleanableList}, JDK 24 and later, JDK-8343704). At 1,000 connections hundreds of the relay's
 * virtual threads queued there, some for seconds. An {@code AsynchronousFileChannel} on Linux
 * ({@code sun.nio.ch.SimpleAsynchronousFileChannelImpl}) registers nothing: its descriptor is
 * closed by {@link #close} only, so every stream from here must be closed (a lost one keeps its
 * descriptor until the process ends).
 *
 * <p>A read holds the carrier thread while the kernel copies, as a {@code FileChannel}'s does on a
 * file not opened for direct I/O. Only reads come here: a {@code FileChannel}'s {@code force}
 * lets the JDK add a carrier while a virtual thread waits for the disk, and the asynchronous
 * channel's does not, which cut the sends per second by a third to a half on two cores
 * (docs/BENCHMARKS.md, ninth round).
 *
 * <p>Not thread-safe: one reader at a time, as any {@code InputStream}.
 */
final class CallerRunsFileInput extends InputStream {
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ);
    private static final CallerRuns CALLER_RUNS = new CallerRuns();

    private final AsynchronousFileChannel channel;
    private long position;

    private CallerRunsFileInput(AsynchronousFileChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens {@code file} for reading from its first byte.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws IOException                        if it cannot be opened
     */
    static InputStream open(Path file) throws IOException {
        return new CallerRunsFileInput(AsynchronousFileChannel.open(file, READ, CALLER_RUNS));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    /** @throws IOException if the read fails; {@link InterruptedIOException} if interrupted */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n = done(channel.read(ByteBuffer.wrap(b, off, len), position));
        if (n > 0) {
            position += n;
        }
        return n;
    }

    /** Closes the file's descriptor; nothing else will. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The result of a read that ran on this thread, and so has completed. */
    private static int done(Future<Integer> read) throws IOException {
        try {
            return read.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
    }

    /**
     * Runs each task at once on the thread that submits it. {@code AsynchronousFileChannel.open}
     * takes an {@code ExecutorService}, and the JDK has none that runs on the caller. One instance
     * serves every channel and holds no thread, so there is nothing to stop: a shutdown is refused
     * (rather than accepted and ignored, which would make {@code isShutdown} lie), and the channel
     * never asks for one.
     */
    private static final class CallerRuns extends AbstractExecutorService {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            throw new UnsupportedOperationException("shared");
        }

        @Override
        public List<Runnable> shutdownNow() {
            throw new UnsupportedOperationException("shared");
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }
}
