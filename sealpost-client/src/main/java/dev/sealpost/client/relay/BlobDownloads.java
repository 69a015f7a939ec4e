package dev.sealpost.client.relay;

import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ReadableByteChannel;
import java.security.GeneralSecurityException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;

/**
 * Ranged downloads of a message's streamed files ({@code GET /v1/messages/{id}/blobs/{blob}}
 * with {@code Range: bytes=N-}, RFC 9110 §14): the ciphertext streams to a reader, and a
 * download that broke off continues from the bytes the reader kept.
 */
public final class BlobDownloads {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes ([0-9]{1,19})-([0-9]{1,19})/([0-9]{1,19})");
    private final RelayTransport transport;

    /** @param transport an authenticated connection to the relay */
    public BlobDownloads(RelayTransport transport) {
        this.transport = transport;
    }

    /** Reads a response body. */
    @FunctionalInterface
    public interface BodyReader {
        /**
         * @param body the bytes; reading past the promised length gives end of file, and a
         *             connection that breaks or ends early surfaces as {@link RelayException.Unreachable}
         * @throws IOException for the reader's own failures (a file it cannot write)
         * @throws GeneralSecurityException for the reader's own verdicts (a blob that does not verify)
         */
        void read(ReadableByteChannel body) throws IOException, GeneralSecurityException;
    }

    /**
     * Downloads a streamed file of a message from {@code offset} on, streaming it to {@code reader}.
     *
     * @param messageId the message
     * @param blobId    the streamed file, as the signed letter names it
     * @param offset    bytes already held
     * @param total     the size the signed letter gives, in bytes
     * @param reader    reads bytes {@code [offset, total)}
     * @throws RelayException.Refused 404 if the relay does not have it for the caller; 502 if the
     *                                relay's size or range differs from what was asked
     * @throws RelayException.Unreachable if the connection failed or ended early (then resume
     *                                    from what {@code reader} kept)
     * @throws IOException what {@code reader} threw for its own reasons (a file it cannot write)
     * @throws GeneralSecurityException what {@code reader} threw (a blob that does not verify)
     */
    public void download(String messageId, String blobId, long offset, long total, BodyReader reader)
            throws IOException, GeneralSecurityException {
        if (offset >= total) {
            return;
        }
        String path = Api.MESSAGE_BLOB.replace("{id}", RelayTransport.enc(messageId)).replace("{blob}", RelayTransport.enc(blobId));
        HttpsURLConnection c = transport.open(path, RelayTransport.BULK_READ_TIMEOUT);
        boolean pooled = false;
        try {
            if (offset > 0) {
                c.setRequestProperty("Range", "bytes=" + offset + "-");
            }
            int s;
            try {
                s = c.getResponseCode();
            } catch (IOException e) {
                throw transport.failure(e);
            }
            if (s != 200 && s != 206) {
                throw transport.refusal(c, s);
            }
            if (s == 206) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")).strip());
                if (!m.matches() || Long.parseLong(m.group(1)) != offset || Long.parseLong(m.group(3)) != total) {
                    throw transport.malformed("an unexpected range for blob " + blobId);
                }
            } else if (c.getContentLengthLong() != total) {
                throw transport.malformed("blob " + blobId + " in another size than the signed letter gives");
            } else if (offset > 0) {
                throw transport.malformed("the whole of blob " + blobId + " when asked to resume (no Range support)");
            }
            InputStream raw;
            try {
                raw = c.getInputStream();
            } catch (IOException e) {
                throw transport.failure(e);
            }
            try (BodyStream in = new BodyStream(raw, offset, total)) {
                reader.read(StreamChannels.readable(in));
                pooled = in.atEnd(); // read to its end: closing returns the connection to the pool
            }
        } catch (RelayException e) {
            throw e;
        } catch (IOException e) {
            RelayTransport.SocketFailure socket = RelayTransport.findCause(e, RelayTransport.SocketFailure.class);
            if (socket != null) {
                throw transport.brokeOff("download from", socket);
            }
            throw e;
        } finally {
            if (!pooled) {
                c.disconnect();
            }
        }
    }

    /**
     * A response body of a known length: failures of the connection, and an end before the
     * length, are {@link RelayTransport.SocketFailure}s, so a reader's caller can tell them from
     * its own.
     */
    private static final class BodyStream extends InputStream {
        private final InputStream in;
        private final long total;
        private long position;

        BodyStream(InputStream in, long offset, long total) {
            this.in = in;
            this.position = offset;
            this.total = total;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= total) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, total - position));
            } catch (IOException e) {
                throw new RelayTransport.SocketFailure(e);
            }
            if (n < 0) {
                throw new RelayTransport.SocketFailure(new IOException("the relay closed the connection at byte " + position + " of " + total));
            }
            position += n;
            return n;
        }

        /** @return whether every byte up to the length was read */
        boolean atEnd() {
            return position >= total;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
