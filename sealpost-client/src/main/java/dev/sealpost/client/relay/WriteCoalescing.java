package dev.sealpost.client.relay;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gathers the small writes that the JDK's TLS socket makes into few large socket writes, for
 * the sockets of one {@link PinnedTls} factory, while a caller asks for it by name:
 * {@code coalescing.run(() -> body.write(...))}.
 *
 * <p>The JDK's {@code SSLSocket} flushes after every record (at most 16 KiB, RFC 8446 §5.1), so
 * a 1 MiB segment took 64 {@code write} system calls; written inside {@link #run}, it takes 4 or
 * 5 (measured with strace on a 64 MiB upload: 4,206 writes without, 622 with). The sockets of
 * this factory ({@link ReadAheadSocket}) look up whether the thread writing to them is inside a
 * scope of this object; there is no thread-local state, and other factories' sockets, other
 * threads and everything outside a scope are not affected.
 */
final class WriteCoalescing {
    /** Bytes gathered per socket write inside a scope. */
    static final int BYTES = 256 * 1024;

    private final Map<Thread, Scope> scopes = new ConcurrentHashMap<>();

    /** Work that writes to sockets of this factory. */
    @FunctionalInterface
    interface SocketWork {
        void run() throws IOException;
    }

    /** A socket output that holds bytes for a scope. */
    interface Held {
        /** Writes and flushes what it holds. */
        void release() throws IOException;

        /** Forgets what it holds (the connection is being abandoned). */
        void drop();
    }

    /** The outputs one thread's scope holds bytes in. */
    static final class Scope {
        private final List<Held> held = new ArrayList<>(1);

        void holding(Held output) {
            if (!held.contains(output)) {
                held.add(output);
            }
        }
    }

    /**
     * Runs {@code work}, holding back the flushes its thread makes on this factory's sockets: the
     * bytes written meanwhile go to the kernel in writes of up to {@link #BYTES}, and whatever is
     * left when {@code work} returns is written then. Flushes by other threads (a TLS alert sent
     * while reading) go out at once, after the bytes held back, so the order on the wire never
     * changes. If {@code work} throws, the held bytes are dropped: the caller abandons the
     * connection. A nested call runs {@code work} inside the outer scope.
     *
     * @throws IOException what {@code work} threw, or the failure of the last write
     */
    void run(SocketWork work) throws IOException {
        Thread me = Thread.currentThread();
        if (scopes.containsKey(me)) {
            work.run();
            return;
        }
        Scope scope = new Scope();
        scopes.put(me, scope);
        try {
            work.run();
        } catch (IOException | RuntimeException | Error e) {
            scopes.remove(me);
            scope.held.forEach(Held::drop);
            throw e;
        }
        scopes.remove(me);
        for (Held h : scope.held) {
            h.release();
        }
    }

    /** @return the scope the calling thread is in, or null */
    Scope scopeOfCurrentThread() {
        return scopes.isEmpty() ? null : scopes.get(Thread.currentThread());
    }

    /**
     * @param socketOutput a socket's own output stream
     * @return the stream a socket of this factory hands to TLS: it gathers writes inside this
     *         object's scopes and passes everything else straight through
     */
    OutputStream output(OutputStream socketOutput) {
        return new Output(Objects.requireNonNull(socketOutput, "socketOutput"), this);
    }

    /**
     * The socket's output: writes go straight through, except those of a thread inside a
     * {@link #run} scope, which are gathered into writes of up to
     * {@link WriteCoalescing#BYTES} and their flushes held back until the scope ends.
     */
    private static final class Output extends OutputStream implements Held {
        private final OutputStream out;
        private final WriteCoalescing coalescing;
        private byte[] buffer;
        private int count;

        Output(OutputStream out, WriteCoalescing coalescing) {
            this.out = out;
            this.coalescing = coalescing;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            Scope scope = coalescing.scopeOfCurrentThread();
            if (scope == null || len >= BYTES) {
                writeHeld();
                out.write(b, off, len);
                return;
            }
            if (buffer == null) {
                buffer = new byte[BYTES];
            }
            if (count + len > buffer.length) {
                writeHeld();
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
            scope.holding(this);
        }

        @Override
        public synchronized void flush() throws IOException {
            if (coalescing.scopeOfCurrentThread() != null) {
                return; // the scope writes what is held when its work is done
            }
            writeHeld();
            out.flush();
        }

        private void writeHeld() throws IOException {
            if (count > 0) {
                int n = count;
                count = 0;
                out.write(buffer, 0, n);
            }
        }

        @Override
        public synchronized void release() throws IOException {
            writeHeld();
            out.flush();
        }

        @Override
        public synchronized void drop() {
            count = 0;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
