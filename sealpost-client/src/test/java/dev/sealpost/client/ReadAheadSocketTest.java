package dev.sealpost.client;

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
             ReadAheadSocket s = new ReadAheadSocket(plain)) {
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
             ReadAheadSocket s = new ReadAheadSocket(plain)) {
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
}
