package dev.sealpost.client.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The read-ahead socket over a real loopback connection. */
class ReadAheadSocketTest {
    @Test
    void aReadReturnsWhatHasArrived_withoutWaitingForMore() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept();
             ReadAheadSocket s = new ReadAheadSocket(plain, new WriteCoalescing())) {
            s.setSoTimeout(10_000); // a read that waited for bytes never sent would fail the test instead of hanging
            peer.getOutputStream().write(new byte[] {1, 2, 3, 4, 5});
            peer.getOutputStream().flush();
            byte[] b = new byte[100];
            int n = 0;
            while (n < 5) {
                n += s.getInputStream().read(b, n, b.length - n);
            }
            assertEquals(5, n);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, java.util.Arrays.copyOf(b, 5));
            assertEquals(10_000, s.getSoTimeout());
            assertEquals(peer.getLocalPort(), s.getPort());
            assertTrue(s.isConnected());
            peer.shutdownOutput();
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void manyOddSizedReads_deliverEveryByteInOrder() throws Exception {
        byte[] data = new byte[3 * ReadAheadSocket.READ_AHEAD_BYTES + 12_345];
        new Random(1).nextBytes(data);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept();
             ReadAheadSocket s = new ReadAheadSocket(plain, new WriteCoalescing())) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try (OutputStream out = peer.getOutputStream()) {
                    for (int at = 0; at < data.length; at += 7_777) {
                        out.write(data, at, Math.min(7_777, data.length - at));
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Random sizes = new Random(2);
            byte[] buf = new byte[2 * ReadAheadSocket.READ_AHEAD_BYTES];
            while (true) {
                int want = switch (sizes.nextInt(4)) {
                    case 0 -> 5; // a TLS record header
                    case 1 -> 1 + sizes.nextInt(16_640); // a record body
                    case 2 -> buf.length; // larger than the read-ahead: passed straight through
                    default -> -1; // single byte
                };
                if (want < 0) {
                    int c = in.read();
                    if (c < 0) {
                        break;
                    }
                    got.write(c);
                    continue;
                }
                int n = in.read(buf, 0, want);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            }
            sending.join();
            assertArrayEquals(data, got.toByteArray());
        }
    }

    /** A connected pair whose client side counts the write calls that reach the plain socket. */
    private record Pair(ServerSocket server, Socket peer, ReadAheadSocket socket, WriteCoalescing coalescing,
                        java.util.concurrent.atomic.AtomicInteger writes)
            implements AutoCloseable {
        static Pair open() throws java.io.IOException {
            ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
            Socket plain = new Socket() {
                @Override
                public OutputStream getOutputStream() throws java.io.IOException {
                    OutputStream out = super.getOutputStream();
                    return new java.io.FilterOutputStream(out) {
                        @Override
                        public void write(byte[] b, int off, int len) throws java.io.IOException {
                            writes.incrementAndGet();
                            out.write(b, off, len);
                        }
                    };
                }
            };
            plain.connect(server.getLocalSocketAddress());
            Socket peer = server.accept();
            peer.setSoTimeout(10_000); // bytes held back for good would fail the test instead of hanging it
            WriteCoalescing coalescing = new WriteCoalescing();
            return new Pair(server, peer, new ReadAheadSocket(plain, coalescing), coalescing, writes);
        }

        byte[] receive(int n) throws java.io.IOException {
            return peer.getInputStream().readNBytes(n);
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
            peer.close();
            server.close();
        }
    }

    private static final int RECORD = 16 * 1024;

    @Test
    void coalescing_recordsEachFlushed_reachTheKernelInFewWrites() throws Exception {
        byte[] data = new byte[64 * RECORD];
        new Random(3).nextBytes(data);
        try (Pair p = Pair.open()) {
            OutputStream out = p.socket().getOutputStream();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.receive(data.length);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            p.coalescing().run(() -> {
                for (int at = 0; at < data.length; at += RECORD) {
                    out.write(data, at, RECORD);
                    out.flush(); // as the JDK's TLS socket does after each record
                }
            });

            assertArrayEquals(data, received.get(30, java.util.concurrent.TimeUnit.SECONDS));
            int expected = data.length / WriteCoalescing.BYTES;
            assertTrue(p.writes().get() >= expected && p.writes().get() <= expected + 1, "writes: " + p.writes());
        }
    }

    @Test
    void withoutCoalescing_eachFlushedWriteGoesOutAtOnce() throws Exception {
        try (Pair p = Pair.open()) {
            OutputStream out = p.socket().getOutputStream();
            for (int i = 0; i < 3; i++) {
                out.write(new byte[] {(byte) i, 42});
                out.flush();
                assertArrayEquals(new byte[] {(byte) i, 42}, p.receive(2)); // a request must not wait for more bytes
            }
            assertEquals(3, p.writes().get());
        }
    }

    @Test
    void coalescing_anotherThreadsWrite_goesOutAfterTheHeldBytes() throws Exception {
        try (Pair p = Pair.open()) {
            OutputStream out = p.socket().getOutputStream();
            p.coalescing().run(() -> {
                out.write("held ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                CompletableFuture.runAsync(() -> { // like a TLS alert sent by a reading thread
                    try {
                        out.write("alert".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).join();
                assertEquals("held alert", new String(p.receive(10), java.nio.charset.StandardCharsets.US_ASCII));
            });
        }
    }

    @Test
    void coalescing_workFails_heldBytesAreDroppedAndTheFailureSurfaces() throws Exception {
        try (Pair p = Pair.open()) {
            OutputStream out = p.socket().getOutputStream();
            java.io.IOException failure = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> p.coalescing().run(() -> {
                        out.write(new byte[] {9, 9, 9});
                        throw new java.io.IOException("file unreadable");
                    }));
            assertEquals("file unreadable", failure.getMessage());

            out.write(new byte[] {1});
            out.flush();
            assertArrayEquals(new byte[] {1}, p.receive(1));
            assertEquals(1, p.writes().get(), "the dropped bytes never reached the socket");
        }
    }

    @Test
    void coalescing_aScopeOfAnotherFactory_leavesThisSocketAlone() throws Exception {
        try (Pair p = Pair.open()) {
            OutputStream out = p.socket().getOutputStream();
            new WriteCoalescing().run(() -> { // another relay client's scope, on this thread
                out.write(new byte[] {7, 7});
                out.flush();
                assertArrayEquals(new byte[] {7, 7}, p.receive(2)); // went out at once
            });
            assertEquals(1, p.writes().get());
        }
    }
}
