package dev.sealpost.crypto;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipeline over a few recycled segment buffers, for {@link BlobCipher}: the caller's thread fills
 * a {@link Segment} (stage 0) and hands it down a chain of worker threads, one per later stage,
 * each processing segments in order; the last returns the segment for reuse. Memory stays at
 * {@code buffers} segments whatever the blob size, and the stages run on all cores.
 *
 * <p>A failure in any stage stops the others: a worker's failure surfaces from the caller's next
 * {@link #take} or from {@link #finish}; {@link #close} after a caller failure tells the workers to
 * drop what is queued and waits for them to end, so no thread outlives the call. With one buffer
 * the pipeline runs every stage inline on the caller's thread (no threads for small blobs).
 */
final class SegmentPipeline implements AutoCloseable {
    /** One stage after the first: consumes a filled segment. */
    interface Stage {
        void process(Segment segment) throws IOException, BlobIntegrityException;
    }

    /** One recycled pair of buffers and what stage 0 put in them. */
    static final class Segment {
        /** Ciphertext, hashed by BlobCipher. */
        final byte[] ciphertext;
        /** The bytes to write: {@link #ciphertext} itself when encrypting, the plaintext when decrypting. */
        final byte[] output;
        int ciphertextLength;
        int outputLength;
        long index;
        int plaintextBytes;

        Segment(int ciphertextBytes, int separateOutputBytes) {
            ciphertext = new byte[ciphertextBytes];
            output = separateOutputBytes < 0 ? ciphertext : new byte[separateOutputBytes];
        }
    }

    private static final AtomicLong THREADS = new AtomicLong();
    /** In a stage's queue: no more segments. In {@code free}: a worker failed. */
    private static final Segment STOP = new Segment(0, -1);

    private final ArrayBlockingQueue<Segment> free;
    private final List<Stage> stages;
    private final List<ArrayBlockingQueue<Segment>> queues;
    private final Thread[] workers;
    private final GcmWarmup warmup;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private boolean finished;

    /**
     * @param name the workers' names after "sealpost-blob-"
     * @param buffers how many segments to recycle; 1 runs every stage inline
     * @param ciphertextBytes the size of each segment's ciphertext buffer
     * @param outputBytes the size of a separate output buffer, or -1 to write from the ciphertext buffer
     * @param stages the stages after the first, one worker thread each
     * @param warmUp null, or whether the first worker should warm up GCM encryption (true) or
     *     decryption (false) with {@link GcmWarmup} steps while it waits for work
     */
    SegmentPipeline(String name, int buffers, int ciphertextBytes, int outputBytes, List<Stage> stages,
                    Boolean warmUp) {
        this.stages = List.copyOf(stages);
        free = new ArrayBlockingQueue<>(buffers + 1);
        for (int i = 0; i < buffers; i++) {
            free.add(new Segment(ciphertextBytes, outputBytes));
        }
        boolean threaded = buffers > 1;
        warmup = threaded && warmUp != null && GcmWarmup.needed(warmUp) ? new GcmWarmup(warmUp) : null;
        queues = threaded ? stages.stream().map(s -> new ArrayBlockingQueue<Segment>(buffers + 2)).toList() : List.of();
        workers = new Thread[queues.size()];
        long id = THREADS.incrementAndGet();
        for (int i = 0; i < workers.length; i++) {
            int stage = i;
            workers[i] = new Thread(() -> work(stage), "sealpost-blob-" + name + "-" + id + "-" + (i + 1));
            workers[i].setDaemon(true);
        }
        for (Thread t : workers) {
            t.start();
        }
    }

    /**
     * @return a free segment for stage 0, waiting for the last stage to release one
     * @throws IOException or BlobIntegrityException if a worker failed; InterruptedIOException if interrupted
     */
    Segment take() throws IOException, BlobIntegrityException {
        Segment s;
        try {
            s = free.take();
        } catch (InterruptedException e) {
            throw interrupted();
        }
        if (s == STOP) {
            free.add(STOP);
            rethrow();
        }
        return s;
    }

    /** Hands a filled segment to the next stage (or runs all stages now, inline). */
    void put(Segment s) throws IOException, BlobIntegrityException {
        if (workers.length == 0) {
            for (Stage stage : stages) {
                stage.process(s);
            }
            free.add(s);
        } else {
            queues.getFirst().add(s); // capacity buffers + 2: never full
        }
    }

    /** Waits until every stage has processed every segment put, and rethrows a worker's failure if any. */
    void finish() throws IOException, BlobIntegrityException {
        finished = true;
        if (workers.length == 0) {
            return;
        }
        queues.getFirst().add(STOP);
        try {
            for (Thread t : workers) {
                t.join();
            }
        } catch (InterruptedException e) {
            finished = false; // close() must stop the workers
            throw interrupted();
        }
        if (failure != null) {
            rethrow();
        }
    }

    /** Stops the workers if the run did not finish, and waits for them; never throws. */
    @Override
    public void close() {
        if (workers.length == 0 || finished) {
            return;
        }
        aborted = true;
        for (ArrayBlockingQueue<Segment> q : queues) {
            q.offer(STOP);
        }
        boolean interrupted = Thread.interrupted();
        for (Thread t : workers) {
            if (interrupted) {
                t.interrupt(); // the caller is being cancelled: do not wait on a blocked sink
            }
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                    t.interrupt();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void work(int index) {
        ArrayBlockingQueue<Segment> in = queues.get(index);
        ArrayBlockingQueue<Segment> out = index + 1 < queues.size() ? queues.get(index + 1) : free;
        GcmWarmup idle = index == 0 ? warmup : null;
        try {
            while (true) {
                Segment s = in.poll();
                while (s == null && idle != null && !aborted && idle.step()) {
                    s = in.poll();
                }
                if (s == null) {
                    s = in.take();
                }
                if (aborted) {
                    return;
                }
                if (s == STOP) {
                    if (out != free) {
                        out.add(STOP);
                    }
                    return;
                }
                stages.get(index).process(s);
                out.add(s);
            }
        } catch (Throwable t) {
            synchronized (this) {
                if (failure == null) {
                    failure = t instanceof InterruptedException ? interrupted() : t;
                }
            }
            aborted = true;
            for (ArrayBlockingQueue<Segment> q : queues) {
                q.offer(STOP);
            }
            free.offer(STOP);
        }
    }

    private static InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while encrypting or decrypting a blob");
    }

    /** Throws the first worker failure with its own type. */
    private void rethrow() throws IOException, BlobIntegrityException {
        Throwable t = failure;
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof BlobIntegrityException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("blob worker failed", t);
    }
}
