package dev.sealpost.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Channels over streams that pass heap buffers' arrays straight through.
 *
 * <p>{@link java.nio.channels.Channels#newChannel} copies through an 8 KiB array, so each write
 * of a 1 MiB segment into a TLS socket became 128 TLS records of 8 KiB and 128 socket writes
 * (and each read a copy of 8 KiB). Passed whole, the JDK's TLS socket cuts full 16 KiB records
 * (RFC 8446 §5.1), half as many records and system calls.
 */
final class StreamChannels {
    private StreamChannels() {}

    /** Largest piece handed over at once for a direct buffer, in bytes. */
    private static final int CHUNK = 1 << 16;

    static WritableByteChannel writable(OutputStream out) {
        return new WritableByteChannel() {
            private boolean open = true;
            private byte[] copy;

            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = src.remaining();
                if (src.hasArray()) {
                    out.write(src.array(), src.arrayOffset() + src.position(), n);
                    src.position(src.limit());
                    return n;
                }
                if (copy == null) {
                    copy = new byte[CHUNK];
                }
                int k = Math.min(n, copy.length);
                src.get(copy, 0, k);
                out.write(copy, 0, k);
                return k;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                open = false;
                out.close();
            }
        };
    }

    static ReadableByteChannel readable(InputStream in) {
        return new ReadableByteChannel() {
            private boolean open = true;
            private byte[] copy;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (!dst.hasRemaining()) {
                    return 0;
                }
                if (dst.hasArray()) {
                    int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                    return n;
                }
                if (copy == null) {
                    copy = new byte[CHUNK];
                }
                int n = in.read(copy, 0, Math.min(dst.remaining(), copy.length));
                if (n > 0) {
                    dst.put(copy, 0, n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                open = false;
                in.close();
            }
        };
    }
}
