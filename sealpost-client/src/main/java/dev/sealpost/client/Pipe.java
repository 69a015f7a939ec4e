package dev.sealpost.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded, thread-safe pipe from a producer writing to a {@link WritableByteChannel} to a
 * consumer reading an {@link InputStream}: how an encryptor feeds an HTTP request body without
 * holding more than a few chunks ({@value #CHUNK_BYTES} bytes each, at most
 * {@value #DEPTH} queued) in memory. One writer thread and one reader thread.
 *
 * <p>The writer ends with {@link #close()} or {@link #fail(IOException)}; the reader ends with
 * {@link #abandon()} when it stops reading early, which makes the writer's next write throw.
 */
final class Pipe implements WritableByteChannel {
    static final int CHUNK_BYTES = 256 * 1024;
    static final int DEPTH = 8;
    private static final byte[] EOF = new byte[0];

    /** The writer's error when the reader stopped reading. */
    static final class AbandonedException extends IOException {
        AbandonedException() {
            super("the upload stopped reading");
        }
    }

    private final BlockingQueue<byte[]> full = new ArrayBlockingQueue<>(DEPTH + 1);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(DEPTH + 2);
    private byte[] filling;
    private int filled;
    private volatile boolean open = true;
    private volatile boolean abandoned;
    private volatile IOException failure;

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        while (src.hasRemaining()) {
            if (abandoned) {
                throw new AbandonedException();
            }
            if (filling == null) {
                filling = empty.poll();
                if (filling == null) {
                    filling = new byte[CHUNK_BYTES];
                }
                filled = 0;
            }
            int k = Math.min(src.remaining(), CHUNK_BYTES - filled);
            src.get(filling, filled, k);
            filled += k;
            if (filled == CHUNK_BYTES) {
                hand(filling);
                filling = null;
            }
        }
        return n;
    }

    private void hand(byte[] chunk) throws IOException {
        try {
            while (!full.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                if (abandoned) {
                    throw new AbandonedException();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Ends the stream: the reader sees end of file after the last byte written. */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        if (filling != null && filled > 0) {
            hand(java.util.Arrays.copyOf(filling, filled));
        }
        filling = null;
        hand(EOF);
    }

    /** Ends the stream with an error: the reader's next read throws {@code e}. */
    void fail(IOException e) {
        failure = e;
        open = false;
        full.clear();
        full.offer(EOF);
    }

    /** Called by the reader when it will read no more; unblocks the writer. */
    void abandon() {
        abandoned = true;
        full.clear();
    }

    /** @return the reading end; reads block until the writer has written or ended */
    InputStream input() {
        return new InputStream() {
            private byte[] chunk;
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (chunk == null || pos == chunk.length) {
                    if (ended) {
                        return -1;
                    }
                    if (chunk != null && chunk.length == CHUNK_BYTES) {
                        empty.offer(chunk);
                    }
                    try {
                        chunk = full.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted");
                    }
                    pos = 0;
                    if (chunk == EOF) {
                        ended = true;
                        if (failure != null) {
                            throw failure;
                        }
                        return -1;
                    }
                }
                int k = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, k);
                pos += k;
                return k;
            }

            @Override
            public void close() {
                if (!ended) {
                    abandon();
                }
            }
        };
    }
}
