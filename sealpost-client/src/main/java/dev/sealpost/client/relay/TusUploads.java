package dev.sealpost.client.relay;

import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import javax.net.ssl.HttpsURLConnection;

/**
 * Resumable uploads of streamed files, tus 1.0.0 (core protocol with the creation and
 * termination extensions, https://tus.io/protocols/resumable-upload): create with a total
 * length, append from the relay's durable offset, ask for that offset after a break, abandon.
 * The relay stores only ciphertext.
 */
public final class TusUploads {
    private final RelayTransport transport;

    /** @param transport an authenticated connection to the relay */
    public TusUploads(RelayTransport transport) {
        this.transport = transport;
    }

    /**
     * Creates an upload ({@code POST /v1/uploads} with {@code Upload-Length}).
     *
     * @param length the total size in bytes
     * @return the upload id
     * @throws RelayException.Refused 413 if larger than the relay accepts
     * @throws RelayException.RateLimited if the caller has too many uploads in progress
     */
    public String create(long length) throws IOException {
        RelayTransport.Reply res = transport.exchange("POST", Api.UPLOADS, null, new byte[0], false,
                RelayTransport.ERROR_BODY_BYTES, Api.TUS_RESUMABLE, Api.TUS_VERSION, Api.UPLOAD_LENGTH, Long.toString(length));
        if (res.status() != 201) {
            throw transport.refusal(res);
        }
        String location = String.valueOf(res.header("Location"));
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (!id.matches(RelayTransport.ID)) {
            throw transport.malformed("a malformed upload location");
        }
        return id;
    }

    /**
     * @param id an upload id
     * @return the bytes the relay has stored durably, or -1 if it no longer knows the upload
     *         (expired or abandoned)
     */
    public long offset(String id) throws IOException {
        RelayTransport.Reply res = transport.exchange("HEAD", path(id), null, null, false, RelayTransport.ERROR_BODY_BYTES,
                Api.TUS_RESUMABLE, Api.TUS_VERSION);
        if (res.status() == 404 || res.status() == 410) {
            return -1;
        }
        if (res.status() != 200) {
            throw transport.refusal(res);
        }
        return transport.longHeader(res.header(Api.UPLOAD_OFFSET), Api.UPLOAD_OFFSET);
    }

    /** Writes a request body. */
    @FunctionalInterface
    public interface BodyWriter {
        /**
         * Writes exactly the promised number of bytes to {@code sink} (from any one thread).
         *
         * @throws IOException for its own failures (a file it cannot read); the sink's own
         *                     failures surface as {@link RelayException.Unreachable}
         */
        void writeTo(WritableByteChannel sink) throws IOException;
    }

    /**
     * Appends to an upload (tus {@code PATCH}, sent as {@code POST} with
     * {@code X-HTTP-Method-Override: PATCH}), streaming: the body goes from {@code writer}
     * straight into the TLS socket, never held in memory, each write gathered into large socket
     * writes ({@link WriteCoalescing}).
     *
     * @param id     the upload
     * @param offset where the body starts: the relay's durable offset ({@link #offset})
     * @param bytes  how many bytes {@code writer} writes
     * @param writer produces the body
     * @return the relay's offset after the request
     * @throws RelayException.Refused 409 if {@code offset} is not the relay's offset
     * @throws RelayException.Unreachable if the connection failed (then ask {@link #offset} and resume)
     * @throws IOException what {@code writer} threw for its own reasons (a file it cannot read)
     */
    public long append(String id, long offset, long bytes, BodyWriter writer) throws IOException {
        HttpsURLConnection c = transport.open(path(id), RelayTransport.BULK_READ_TIMEOUT);
        c.setRequestMethod("POST");
        c.setRequestProperty(Api.METHOD_OVERRIDE, "PATCH");
        c.setRequestProperty(Api.TUS_RESUMABLE, Api.TUS_VERSION);
        c.setRequestProperty(Api.UPLOAD_OFFSET, Long.toString(offset));
        c.setRequestProperty("Content-Type", Api.OFFSET_OCTET_STREAM);
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(bytes);
        boolean pooled = false;
        IOException writerFailure = null;
        try {
            try (OutputStream out = c.getOutputStream()) {
                WritableByteChannel body = new RequestBody(StreamChannels.writable(out), transport.coalescing());
                try {
                    writer.writeTo(body);
                } catch (IOException e) {
                    if (RelayTransport.findCause(e, RelayTransport.SocketFailure.class) == null) {
                        writerFailure = e; // the writer's own failure (a file it cannot read), not the connection's
                    }
                    throw e;
                }
            } catch (IOException e) {
                if (writerFailure == null && RelayTransport.findCause(e, RelayTransport.SocketFailure.class) != null) {
                    // the relay may have answered early (409, 413, 404): prefer its answer
                    int status = RelayTransport.statusOrZero(c);
                    if (status >= 400) {
                        throw transport.refusal(c, status);
                    }
                }
                throw e;
            }
            int status = c.getResponseCode();
            if (status != 204 && status != 200) {
                throw transport.refusal(c, status);
            }
            long stored = transport.longHeader(c.getHeaderField(Api.UPLOAD_OFFSET), Api.UPLOAD_OFFSET);
            c.getInputStream().close(); // an empty answer: the connection goes back to the pool
            pooled = true;
            return stored;
        } catch (IOException e) {
            if (e == writerFailure) {
                throw e;
            }
            throw transport.failure(e);
        } finally {
            if (!pooled) {
                c.disconnect();
            }
        }
    }

    /** Abandons an upload (tus termination); an unknown upload is not an error. */
    public void delete(String id) throws IOException {
        RelayTransport.Reply res = transport.exchange("DELETE", path(id), null, null, false, RelayTransport.ERROR_BODY_BYTES,
                Api.TUS_RESUMABLE, Api.TUS_VERSION);
        if (res.status() != 204 && res.status() != 404) {
            throw transport.refusal(res);
        }
    }

    private static String path(String id) {
        return Api.UPLOAD.replace("{id}", RelayTransport.enc(id));
    }

    /**
     * The request body as a channel: each write (a segment of up to 1 MiB, from whichever thread
     * writes) goes into the TLS socket inside a {@link WriteCoalescing} scope, so its records
     * reach the kernel in a few large writes; its failures are marked as the connection's.
     */
    private static final class RequestBody implements WritableByteChannel {
        private final WritableByteChannel out;
        private final WriteCoalescing coalescing;

        RequestBody(WritableByteChannel out, WriteCoalescing coalescing) {
            this.out = out;
            this.coalescing = coalescing;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            try {
                int n = src.remaining();
                coalescing.run(() -> out.write(src));
                return n;
            } catch (IOException e) {
                throw new RelayTransport.SocketFailure(e);
            }
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
