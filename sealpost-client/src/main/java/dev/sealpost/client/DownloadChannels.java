package dev.sealpost.client;

import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.crypto.BlobCipher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/** The two channels a resumable download ({@link RelayBlobSource}) writes and reads through. */
final class DownloadChannels {
    private DownloadChannels() {}

    /**
     * Writes to a download's file and, when it must end up on disk, starts the disk writing every
     * 64 MiB in the background ({@code force} on a virtual thread), so that the final force
     * before the acknowledgement has little left to do: the disk works while the network does.
     */
    static final class EarlyWriteback implements WritableByteChannel {
        private static final long EVERY = 64L << 20;
        private final FileChannel out;
        private final boolean enabled;
        private long unforced;
        private Thread running;

        EarlyWriteback(FileChannel out, boolean enabled) {
            this.out = out;
            this.enabled = enabled;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = out.write(src);
            unforced += n;
            if (enabled && unforced >= EVERY && (running == null || !running.isAlive())) {
                unforced = 0;
                running = Thread.ofVirtual().name("sealpost-writeback").start(() -> {
                    try {
                        out.force(false);
                    } catch (IOException e) {
                        // only a head start: the final force reports real failures
                    }
                });
            }
            return n;
        }

        /** Waits for a background force still running. */
        void finish() throws IOException {
            if (running != null) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() {}
    }

    /** Saves a blob's first {@value BlobCipher#HEADER_BYTES} bytes as they pass, for a later resume. */
    static final class HeaderTee implements ReadableByteChannel {
        private final ReadableByteChannel in;
        private final Path file;
        private final byte[] header = new byte[BlobCipher.HEADER_BYTES];
        private int have;

        HeaderTee(ReadableByteChannel in, Path file) {
            this.in = in;
            this.file = file;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int from = dst.position();
            int n = in.read(dst);
            if (n > 0 && have < header.length) {
                int k = Math.min(n, header.length - have);
                dst.duplicate().position(from).limit(from + k).get(header, have, k);
                have += k;
                if (have == header.length) {
                    AtomicFiles.replace(file, header, AtomicFiles.OWNER_ONLY);
                }
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
