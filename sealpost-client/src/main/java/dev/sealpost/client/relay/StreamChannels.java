package dev.sealpost.client.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
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

    static WritableByteChannel writable(OutputStream out) {
        WritableByteChannel other = Channels.newChannel(out); // for buffers without an array (none here so far)
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                if (!src.hasArray()) {
                    return other.write(src);
                }
                int n = src.remaining();
                out.write(src.array(), src.arrayOffset() + src.position(), n);
                src.position(src.limit());
                return n;
            }

            @Override
            public boolean isOpen() {
                return other.isOpen();
            }

            @Override
            public void close() throws IOException {
                other.close();
            }
        };
    }

    static ReadableByteChannel readable(InputStream in) {
        ReadableByteChannel other = Channels.newChannel(in); // for buffers without an array (none here so far)
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (!dst.hasArray()) {
                    return other.read(dst);
                }
                if (!dst.hasRemaining()) {
                    return 0;
                }
                int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return other.isOpen();
            }

            @Override
            public void close() throws IOException {
                other.close();
            }
        };
    }
}
