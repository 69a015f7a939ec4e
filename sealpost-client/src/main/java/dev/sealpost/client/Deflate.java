package dev.sealpost.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/**
 * Compression of blobs before encryption: the zlib format (RFC 1950, the HTTP
 * {@code deflate} content coding of RFC 9110 §8.4.1.2) at the fastest level, used only for
 * data that is not already compressed media and whose first MiB shrinks by a fifth or more.
 * Photos, video, audio and archives are sent as they are.
 */
final class Deflate {
    /** The encoding name in a {@link BlobRef}. */
    static final String DEFLATE = "deflate";
    /** No encoding. */
    static final String IDENTITY = "identity";
    private static final int SAMPLE_BYTES = 1 << 20;
    private static final double WORTH_IT = 0.8;
    private static final Set<String> COMPRESSED = Set.of("application/zip", "application/gzip", "application/zstd",
            "application/x-xz", "application/x-bzip2", "application/x-7z-compressed", "application/vnd.rar",
            "application/x-rar-compressed", "application/pdf", "application/x-compress", "application/java-archive");

    private Deflate() {}

    /** @return true if {@code f} is not compressed media and its first MiB shrinks by at least a fifth */
    static boolean worthIt(OutgoingFile f) throws IOException {
        String t = f.mediaType();
        if (t.startsWith("image/") || t.startsWith("video/") || t.startsWith("audio/") || COMPRESSED.contains(t) || f.size() < 4096) {
            return false;
        }
        byte[] sample;
        try (InputStream in = Files.newInputStream(f.path())) {
            sample = in.readNBytes(SAMPLE_BYTES);
        }
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(sample);
            d.finish();
            byte[] out = new byte[64 * 1024];
            long n = 0;
            while (!d.finished()) {
                n += d.deflate(out);
            }
            return n < sample.length * WORTH_IT;
        } finally {
            d.end();
        }
    }

    /**
     * Compresses {@code in} to {@code out} (replaced).
     *
     * @return the compressed size in bytes
     */
    static long compress(Path in, Path out, Progress.Task task) throws IOException {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try (InputStream src = Files.newInputStream(in);
             OutputStream dst = new DeflaterOutputStream(Files.newOutputStream(out), d, 1 << 20)) {
            byte[] buf = new byte[1 << 20];
            long done = 0;
            for (int n; (n = src.read(buf)) > 0; ) {
                dst.write(buf, 0, n);
                done += n;
                task.update(done);
            }
        } finally {
            d.end();
        }
        return Files.size(out);
    }

    /**
     * A sink that inflates what is written to it into {@code out}, refusing more than
     * {@code expected} bytes of output (the signed size: a bound on what a hostile stream could
     * expand to) and, on {@link #finish()}, fewer.
     */
    static final class InflatingChannel implements WritableByteChannel {
        private final WritableByteChannel out;
        private final long expected;
        private final Inflater inflater = new Inflater();
        private final byte[] in = new byte[256 * 1024];
        private final byte[] buf = new byte[1 << 20];
        private long written;

        InflatingChannel(WritableByteChannel out, long expected) {
            this.out = out;
            this.expected = expected;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            while (src.hasRemaining()) {
                int k = Math.min(in.length, src.remaining());
                src.get(in, 0, k);
                inflater.setInput(in, 0, k);
                drain();
            }
            return n;
        }

        private void drain() throws IOException {
            try {
                while (!inflater.needsInput() && !inflater.finished()) {
                    int m = inflater.inflate(buf);
                    if (m == 0 && inflater.needsDictionary()) {
                        throw new IOException("compressed file needs a preset dictionary");
                    }
                    written += m;
                    if (written > expected) {
                        throw new IOException("compressed file expands beyond its signed size of " + expected + " bytes");
                    }
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, m);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
                if (inflater.finished() && inflater.getRemaining() > 0) {
                    throw new IOException("data after the end of the compressed file");
                }
            } catch (DataFormatException e) {
                throw new IOException("compressed file is corrupt: " + e.getMessage(), e);
            }
        }

        /** @throws IOException unless the stream ended exactly at the signed size */
        void finish() throws IOException {
            if (!inflater.finished() || written != expected) {
                throw new IOException("compressed file ends after " + written + " of its signed " + expected + " bytes");
            }
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            inflater.end();
        }
    }
}
