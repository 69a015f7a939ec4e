package dev.sealpost.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.protocol.AccountName;
import dev.sealpost.protocol.AccountResponse;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.ErrorResponse;
import dev.sealpost.protocol.KeyBundle;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.MessageList;
import dev.sealpost.protocol.MessageSummary;
import dev.sealpost.protocol.RegisterRequest;
import dev.sealpost.protocol.SendResponse;
import dev.sealpost.protocol.SessionResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.HttpRetryException;
import java.net.SocketTimeoutException;
import java.nio.channels.WritableByteChannel;
import javax.net.ssl.HttpsURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The relay's HTTP API ({@link Api}) over TLS pinned to the relay's certificate fingerprint.
 *
 * <p>Every method throws {@link RelayException} with a one-line message when the relay answers
 * with an error status, cannot be reached, or presents another certificate
 * ({@link RelayException.UntrustedRelayException}). Tokens and passwords never appear in
 * messages.
 */
public final class RelayClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final URI base;
    private final javax.net.ssl.SSLSocketFactory tls;
    private final String token;
    private final ObjectMapper json = dev.sealpost.protocol.Json.mapper();

    private RelayClient(URI base, javax.net.ssl.SSLSocketFactory tls, String token) {
        this.base = base;
        this.tls = tls;
        this.token = token;
    }

    /**
     * @param base the relay's {@code https://host:port} URL
     * @param pin  the fingerprint of the relay's TLS certificate
     * @return an unauthenticated client
     * @throws IllegalArgumentException if {@code base} is not an https URL
     */
    public static RelayClient connect(URI base, Fingerprint pin) {
        if (!"https".equalsIgnoreCase(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("relay URL must be https://HOST:PORT, got " + base);
        }
        javax.net.ssl.SSLContext context = PinnedTls.context(pin);
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return new RelayClient(base.resolve(path.isEmpty() ? "/" : path + "/"), PinnedTls.socketFactory(context), null);
    }

    /**
     * @return a client that sends {@code Authorization: Bearer token} (RFC 6750). It shares this
     *         client's TLS socket factory, and with it the JDK's pool of kept-alive connections.
     */
    public RelayClient withToken(String bearerToken) {
        return new RelayClient(base, tls, bearerToken);
    }

    /** @return the relay's base URL */
    public URI base() {
        return base;
    }

    /** Creates an account. @throws RelayException 409 if the name is taken */
    public AccountResponse register(String name, char[] password) throws IOException {
        return sendJson("POST", Api.ACCOUNTS, new RegisterRequest(name, new String(password)), AccountResponse.class);
    }

    /** Logs in. @throws RelayException 401 on a wrong name or password */
    public SessionResponse login(String name, char[] password) throws IOException {
        return sendJson("POST", Api.SESSIONS, new LoginRequest(name, new String(password)), SessionResponse.class);
    }

    /** Publishes the caller's certificates in the relay's key directory. */
    public void publishKeys(KeyBundle bundle) throws IOException {
        sendJson("PUT", Api.KEYS, bundle, Void.class);
    }

    /** @return the certificates {@code name} published. @throws RelayException 404 if none */
    public KeyBundle keys(String name) throws IOException {
        return sendJson("GET", Api.KEYS_OF.replace("{name}", enc(name)), null, KeyBundle.class);
    }

    /**
     * Uploads a sealed message.
     *
     * @param sealed DER bytes of the S/MIME message
     * @param to     recipient account names
     * @return where it went
     * @throws RelayException 404 for an unknown recipient, 413 if too large, 429 if rate limited
     */
    public SendResponse send(byte[] sealed, List<String> to) throws IOException {
        return send(sealed, to, List.of());
    }

    /**
     * Uploads a sealed message that references completed uploads as its blobs.
     *
     * @param sealed  DER bytes of the S/MIME message
     * @param to      recipient account names
     * @param blobIds ids of completed uploads ({@link #createUpload}) the message references
     * @return where it went
     * @throws RelayException 400 if an upload is not complete, 404 for an unknown recipient or
     *                        upload, 413 if too large, 429 if rate limited
     */
    public SendResponse send(byte[] sealed, List<String> to, List<String> blobIds) throws IOException {
        StringJoiner q = new StringJoiner("&", "?", "");
        to.forEach(n -> q.add(Api.TO_PARAM + "=" + enc(n)));
        blobIds.forEach(b -> q.add(Api.BLOB_PARAM + "=" + enc(b)));
        // streamed: the JDK never repeats a streamed POST on its own, so a message is not posted twice
        return parse(call("POST", Api.MESSAGES + q, Api.SEALED_MEDIA_TYPE, sealed, true), SendResponse.class);
    }

    /** @return the caller's pending messages, oldest first */
    public List<MessageSummary> inbox() throws IOException {
        List<MessageSummary> list = sendJson("GET", Api.MESSAGES, null, MessageList.class).messages();
        for (MessageSummary m : list) {
            checked(m);
        }
        return list;
    }

    /**
     * Message ids and sender names from the relay end up in file names, key lookups and on the
     * terminal; refuse anything but the shapes the relay is meant to produce.
     */
    private static MessageSummary checked(MessageSummary m) throws RelayException {
        if (m == null || m.id() == null || !m.id().matches("[A-Za-z0-9_-]{1,64}") || !AccountName.isValid(m.sender())
                || m.sentAt() == null) {
            throw new RelayException(0, "relay sent a malformed message entry", -1);
        }
        return m;
    }

    /**
     * Downloads one message.
     *
     * @param id       the message id
     * @param maxBytes refuse answers larger than this many bytes
     * @return the sealed bytes
     * @throws RelayException 404 if it does not exist or is not addressed to the caller
     */
    public byte[] fetch(String id, long maxBytes) throws IOException {
        Reply res = call("GET", Api.MESSAGE.replace("{id}", enc(id)), null, null, false, maxBytes);
        if (res.status() != 200) {
            throw error(res);
        }
        if (res.body().length > maxBytes) {
            throw new RelayException(413, "message " + id + " is larger than " + maxBytes + " bytes", -1);
        }
        return res.body();
    }

    /**
     * Creates a resumable upload (tus 1.0.0 creation extension).
     *
     * @param length the total size in bytes
     * @return the upload id
     * @throws RelayException 413 if larger than the relay accepts, 429 if rate limited
     */
    public String createUpload(long length) throws IOException {
        Reply res = call("POST", Api.UPLOADS, null, new byte[0], false, ERROR_BODY_BYTES,
                Api.TUS_RESUMABLE, Api.TUS_VERSION, Api.UPLOAD_LENGTH, Long.toString(length));
        if (res.status() != 201) {
            throw error(res);
        }
        String location = String.valueOf(res.header("Location"));
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (!id.matches(ID)) {
            throw new RelayException(res.status(), "relay sent a malformed upload location", -1);
        }
        return id;
    }

    /**
     * @param id an upload id
     * @return the bytes the relay has stored durably, or -1 if it no longer knows the upload
     *         (expired, abandoned, or already attached to a message)
     */
    public long uploadOffset(String id) throws IOException {
        Reply res = call("HEAD", Api.UPLOAD.replace("{id}", enc(id)), null, null, false, ERROR_BODY_BYTES,
                Api.TUS_RESUMABLE, Api.TUS_VERSION);
        if (res.status() == 404 || res.status() == 410) {
            return -1;
        }
        if (res.status() != 200) {
            throw error(res);
        }
        return longHeader(res.status(), res.header(Api.UPLOAD_OFFSET), Api.UPLOAD_OFFSET);
    }

    /** Writes a request body. */
    @FunctionalInterface
    public interface BodyWriter {
        /** Writes exactly the promised number of bytes to {@code sink} (from any one thread). */
        void writeTo(WritableByteChannel sink) throws IOException;
    }

    /**
     * Appends to an upload (tus 1.0.0 {@code PATCH}, sent as {@code POST} with
     * {@code X-HTTP-Method-Override: PATCH}), streaming: the body goes from {@code writer}
     * straight into the TLS socket, never held in memory.
     *
     * <p>Every request uses the JDK's blocking {@link HttpsURLConnection}, not
     * {@code java.net.http.HttpClient}: measured on a 1 GiB upload, HttpClient's asynchronous TLS
     * path made ~2 GiB of short-lived buffers, which let the heap (and the process) grow past
     * 500 MiB, and it cannot send PATCH through a plain stream without a pipe thread.
     *
     * @param id     the upload
     * @param offset where the body starts: the relay's durable offset ({@link #uploadOffset})
     * @param bytes  how many bytes {@code writer} writes
     * @param writer produces the body
     * @return the relay's offset after the request
     * @throws RelayException 409 if {@code offset} is not the relay's offset; status 0 if the
     *                        connection failed (then ask {@link #uploadOffset} and resume)
     * @throws IOException    what {@code writer} threw for its own reasons (a file it cannot read)
     */
    public long upload(String id, long offset, long bytes, BodyWriter writer) throws IOException {
        HttpsURLConnection c = open(Api.UPLOAD.replace("{id}", enc(id)), BULK_READ_TIMEOUT);
        c.setRequestMethod("POST");
        c.setRequestProperty(Api.METHOD_OVERRIDE, "PATCH");
        c.setRequestProperty(Api.TUS_RESUMABLE, Api.TUS_VERSION);
        c.setRequestProperty(Api.UPLOAD_OFFSET, Long.toString(offset));
        c.setRequestProperty("Content-Type", Api.OFFSET_OCTET_STREAM);
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(bytes);
        boolean pooled = false;
        try {
            try (OutputStream out = c.getOutputStream()) {
                writer.writeTo(new RequestBodyChannel(StreamChannels.writable(out)));
            } catch (IOException e) {
                if (findCause(e, SocketFailure.class) == null && !(e instanceof SocketFailure)) {
                    throw e; // the writer's own failure (a file it cannot read), not the connection's
                }
                // the relay may have answered early (409, 413, 404): prefer its answer
                int status = statusOrZero(c);
                if (status >= 400) {
                    throw error(status, errorBody(c), c.getHeaderField("Retry-After"));
                }
                throw transport(e);
            }
            int status = c.getResponseCode();
            if (status != 204 && status != 200) {
                throw error(status, errorBody(c), c.getHeaderField("Retry-After"));
            }
            long stored = longHeader(status, c.getHeaderField(Api.UPLOAD_OFFSET), Api.UPLOAD_OFFSET);
            c.getInputStream().close(); // an empty answer: the connection goes back to the pool
            pooled = true;
            return stored;
        } catch (RelayException e) {
            throw e;
        } catch (IOException e) {
            throw transport(e);
        } finally {
            if (!pooled) {
                c.disconnect();
            }
        }
    }

    /** A write to the relay's socket failed: a transport error, whatever the writer wraps it in. */
    private static final class SocketFailure extends IOException {
        SocketFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The request body as a channel; its failures are marked as the connection's. */
    private static final class RequestBodyChannel implements WritableByteChannel {
        private final WritableByteChannel out;

        RequestBodyChannel(WritableByteChannel out) {
            this.out = out;
        }

        @Override
        public int write(java.nio.ByteBuffer src) throws IOException {
            try {
                return out.write(src);
            } catch (IOException e) {
                throw new SocketFailure(e);
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

    /** Abandons an upload (tus termination); an unknown upload is not an error. */
    public void deleteUpload(String id) throws IOException {
        Reply res = call("DELETE", Api.UPLOAD.replace("{id}", enc(id)), null, null, false, ERROR_BODY_BYTES,
                Api.TUS_RESUMABLE, Api.TUS_VERSION);
        if (res.status() != 204 && res.status() != 404) {
            throw error(res);
        }
    }

    /** Reads a response body. */
    @FunctionalInterface
    public interface BodyReader {
        /**
         * @param body the bytes; reading past the promised length gives end of file, and a
         *             connection that breaks or ends early throws {@link RelayException} with status 0
         */
        void read(InputStream body) throws IOException, java.security.GeneralSecurityException;
    }

    /**
     * Downloads a blob of a message from {@code offset} on ({@code Range: bytes=offset-},
     * RFC 9110 §14), streaming it to {@code reader}.
     *
     * @param messageId the message
     * @param blobId    the blob, as the signed letter names it
     * @param offset    bytes already held
     * @param total     the size the signed letter gives, in bytes
     * @param reader    reads bytes {@code [offset, total)}
     * @throws RelayException 404 if the relay does not have it for the caller; if the relay's
     *                        size differs from {@code total}; status 0 if the connection failed
     *                        or ended early (then resume from what {@code reader} kept)
     * @throws IOException    what {@code reader} threw for its own reasons (a file it cannot write)
     * @throws java.security.GeneralSecurityException what {@code reader} threw (a blob that does not verify)
     */
    public void download(String messageId, String blobId, long offset, long total, BodyReader reader)
            throws IOException, java.security.GeneralSecurityException {
        if (offset >= total) {
            return;
        }
        HttpsURLConnection c = open(Api.MESSAGE_BLOB.replace("{id}", enc(messageId)).replace("{blob}", enc(blobId)), BULK_READ_TIMEOUT);
        boolean pooled = false;
        try {
            if (offset > 0) {
                c.setRequestProperty("Range", "bytes=" + offset + "-");
            }
            int s = c.getResponseCode();
            if (s != 200 && s != 206) {
                throw error(s, errorBody(c), c.getHeaderField("Retry-After"));
            }
            if (s == 206) {
                String range = String.valueOf(c.getHeaderField("Content-Range"));
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes ([0-9]+)-([0-9]+)/([0-9]+)").matcher(range.strip());
                if (!m.matches() || Long.parseLong(m.group(1)) != offset || Long.parseLong(m.group(3)) != total) {
                    throw new RelayException(s, "relay answered blob " + blobId + " with an unexpected range", -1);
                }
            } else if (c.getContentLengthLong() != total) {
                throw new RelayException(s, "relay's blob " + blobId + " is not the size the signed letter gives", -1);
            } else if (offset > 0) {
                throw new RelayException(s, "relay does not resume downloads (no Range support)", -1);
            }
            try (BodyStream in = new BodyStream(c.getInputStream(), offset, total)) {
                reader.read(in);
                pooled = in.atEnd(); // read to its end: closing returns the connection to the pool
            }
        } catch (RelayException e) {
            throw e;
        } catch (SocketFailure e) {
            throw new RelayException(0, "download from relay " + hostPort() + " broke off: " + oneLine(String.valueOf(e.getMessage())), -1);
        } catch (IOException e) {
            if (findCause(e, SocketFailure.class) != null) {
                throw new RelayException(0, "download from relay " + hostPort() + " broke off: "
                        + oneLine(String.valueOf(findCause(e, SocketFailure.class).getMessage())), -1);
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
     * length, are {@link SocketFailure}s, so a reader's caller can tell them from its own.
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
                throw new SocketFailure(e);
            }
            if (n < 0) {
                throw new SocketFailure(new IOException("the relay closed the connection at byte " + position + " of " + total));
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

    /**
     * A blocking connection, pinned, from the JDK's keep-alive pool when one to the relay is idle
     * there (the pool is keyed by host, port and this client's socket factory).
     *
     * @param readTimeout the longest wait for a byte; zero waits forever
     */
    private HttpsURLConnection open(String path, Duration readTimeout) throws IOException {
        HttpsURLConnection c;
        try {
            c = (HttpsURLConnection) uri(path).toURL().openConnection();
        } catch (IOException e) {
            throw transport(e);
        }
        c.setSSLSocketFactory(tls);
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) readTimeout.toMillis());
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        return c;
    }

    /** No byte for this long during a transfer means the relay is gone (it fsyncs at most 64 MiB at a time). */
    private static final Duration BULK_READ_TIMEOUT = Duration.ofMinutes(2);

    private static int statusOrZero(HttpsURLConnection c) {
        try {
            return c.getResponseCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private static byte[] errorBody(HttpsURLConnection c) {
        try (InputStream in = c.getErrorStream()) {
            return in == null ? new byte[0] : in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The one-line error for a failed connection: which relay, and what failed, never a token. */
    private RelayException transport(IOException e) {
        PinnedTls.PinMismatchException pin = findCause(e, PinnedTls.PinMismatchException.class);
        if (pin != null) {
            return new RelayException.UntrustedRelayException("refusing relay " + hostPort() + ": " + pin.getMessage());
        }
        if (e instanceof ConnectException) {
            return new RelayException(0, "cannot reach relay at " + hostPort() + ": connection refused (is it running?)", -1);
        }
        if (e instanceof SocketTimeoutException) {
            return String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")
                    ? new RelayException(0, "cannot reach relay at " + hostPort() + ": connection timed out", -1)
                    : new RelayException(0, "relay at " + hostPort() + " did not answer in time", -1);
        }
        if (e instanceof SSLException) {
            return new RelayException(0, "TLS with relay " + hostPort() + " failed: " + oneLine(String.valueOf(e.getMessage())), -1);
        }
        return new RelayException(0, "connection to relay " + hostPort() + " failed: "
                + oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), -1);
    }

    private static final String ID = "[A-Za-z0-9_-]{1,64}";

    private static long longHeader(int status, String value, String name) throws RelayException {
        if (value == null || !value.matches("[0-9]{1,19}")) {
            throw new RelayException(status, "relay sent no valid " + name + " header", -1);
        }
        return Long.parseLong(value);
    }

    /** Acknowledges a message: the relay forgets it for the caller. */
    public void acknowledge(String id) throws IOException {
        sendJson("DELETE", Api.MESSAGE.replace("{id}", enc(id)), null, Void.class);
    }

    /**
     * Follows the relay's Server-Sent Events stream (W3C EventSource format) and hands each
     * {@code message} event to {@code onMessage}, until the relay closes the stream.
     *
     * @param onOpen    called once the stream is open, before any event: the moment to look
     *                  for messages that arrived before the subscription
     * @param onMessage called for each new message
     * @throws RelayException if the stream cannot be opened
     */
    public void events(Runnable onOpen, Consumer<MessageSummary> onMessage) throws IOException {
        HttpsURLConnection c = open(Api.EVENTS, Duration.ZERO); // events may be hours apart
        try {
            c.setRequestProperty("Accept", "text/event-stream");
            int status;
            try {
                status = c.getResponseCode();
            } catch (IOException e) {
                throw transport(e);
            }
            if (status != 200) {
                throw error(status, errorBody(c), c.getHeaderField("Retry-After"));
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                follow(lines, onOpen, onMessage);
            } catch (RelayException e) {
                throw e;
            } catch (IOException e) {
                throw new RelayException(0, "lost the event stream from relay " + hostPort() + ": "
                        + oneLine(String.valueOf(e.getMessage())), -1);
            }
        } finally {
            c.disconnect();
        }
    }

    private void follow(BufferedReader lines, Runnable onOpen, Consumer<MessageSummary> onMessage) throws IOException {
        onOpen.run();
        String event = "message";
        StringBuilder data = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (Api.MESSAGE_EVENT.equals(event) && !data.isEmpty()) {
                    onMessage.accept(checked(json.readValue(data.toString(), MessageSummary.class)));
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
    }

    private <T> T sendJson(String method, String path, Object body, Class<T> type) throws IOException {
        byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
        return parse(call(method, path, "application/json", bytes, false, JSON_BYTES, "Accept", "application/json"), type);
    }

    private <T> T parse(Reply res, Class<T> type) throws IOException {
        int s = res.status();
        if (s < 200 || s >= 300) {
            throw error(res);
        }
        if (type == Void.class) {
            return null;
        }
        T value;
        try {
            value = res.body().length == 0 ? null : json.readValue(res.body(), type);
        } catch (IOException e) {
            value = null;
        }
        if (value == null) {
            throw new RelayException(s, "relay sent an answer sealpost does not understand", -1);
        }
        return value;
    }

    private RelayException error(Reply res) {
        return error(res.status(), res.body(), res.header("Retry-After"));
    }

    private RelayException error(int status, byte[] body, String retryAfter) {
        String message;
        try {
            message = json.readValue(body, ErrorResponse.class).error();
        } catch (IOException | RuntimeException e) {
            message = null;
        }
        if (message == null || message.isBlank()) {
            message = "HTTP " + status;
        }
        long retry = -1;
        if (retryAfter != null) {
            try {
                retry = Long.parseLong(retryAfter.strip());
            } catch (NumberFormatException e) {
                retry = -1;
            }
        }
        return new RelayException(status, "relay: " + oneLine(message), retry);
    }

    private URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** An answer to a small request: its status, its whole body and its connection's headers. */
    private record Reply(int status, byte[] body, HttpsURLConnection connection) {
        String header(String name) {
            return connection.getHeaderField(name);
        }
    }

    /**
     * The error body for a 401 whose own body HttpURLConnection dropped: for a request sent
     * with fixed-length streaming it closes the connection on a 401 instead of reading the
     * answer, on some paths. The relay's 401 is always about the token or the credentials.
     */
    private byte[] unauthorized() throws IOException {
        return json.writeValueAsBytes(new ErrorResponse(token == null ? "authentication failed" : "token rejected; log in again"));
    }

    /** Bodies of answers to small requests are JSON of a few KiB; error bodies are cut here. */
    private static final int ERROR_BODY_BYTES = 64 * 1024;
    /** The largest JSON answer read (an inbox of many messages). */
    private static final int JSON_BYTES = 16 * 1024 * 1024;

    private Reply call(String method, String path, String contentType, byte[] body, boolean streamed) throws IOException {
        return call(method, path, contentType, body, streamed, JSON_BYTES);
    }

    /**
     * One small request and its whole answer, on a connection from the JDK's keep-alive pool
     * ({@code HttpsURLConnection}), shared with the bulk transfers: a command makes one TLS
     * handshake, not one per request. The answer is read to its end, which returns the
     * connection to the pool.
     *
     * @param body        the request body, or null for none
     * @param streamed    send the body with a fixed length, which the JDK never sends a second
     *                    time (it repeats a buffered request once when the connection breaks
     *                    before the answer): for requests that must not happen twice
     * @param limit       the largest answer body wanted, in bytes: a longer one is cut after
     *                    {@code limit + 1} bytes (so the caller can tell) and its connection closed
     * @param headers     extra request headers, as name, value, name, value...
     */
    private Reply call(String method, String path, String contentType, byte[] body, boolean streamed, long limit,
                       String... headers) throws IOException {
        HttpsURLConnection c = open(path, REQUEST_TIMEOUT);
        boolean pooled = false;
        try {
            c.setRequestMethod(method);
            for (int i = 0; i + 1 < headers.length; i += 2) {
                c.setRequestProperty(headers[i], headers[i + 1]);
            }
            if (body != null) {
                c.setDoOutput(true);
                if (contentType != null) {
                    c.setRequestProperty("Content-Type", contentType);
                }
                if (streamed) {
                    c.setFixedLengthStreamingMode(body.length);
                }
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                } catch (IOException e) {
                    // the relay may have answered before taking the whole body (413, 404): prefer its answer
                    int status = statusOrZero(c);
                    if (status < 400) {
                        throw e;
                    }
                    byte[] early = errorBody(c);
                    return new Reply(status, status == 401 && early.length == 0 ? unauthorized() : early, c);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] answer;
            if (in == null) {
                answer = new byte[0]; // an error without a body: the connection is not reused
            } else {
                try (in) {
                    answer = in.readNBytes((int) Math.min(status >= 400 ? ERROR_BODY_BYTES : limit + 1, Integer.MAX_VALUE - 16));
                    pooled = answer.length <= limit && in.read() < 0;
                }
            }
            if (status == 401 && answer.length == 0) {
                answer = unauthorized(); // a streamed request's 401 can come without its body
            }
            return new Reply(status, answer, c);
        } catch (HttpRetryException e) {
            // what HttpURLConnection throws for a 401 to a streamed request on some paths
            return new Reply(e.responseCode(), e.responseCode() == 401 ? unauthorized() : new byte[0], c);
        } catch (IOException e) {
            throw transport(e);
        } finally {
            if (!pooled) {
                c.disconnect();
            }
        }
    }

    private String hostPort() {
        return base.getHost() + ":" + (base.getPort() < 0 ? 443 : base.getPort());
    }

    private static <E extends Throwable> E findCause(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 300 ? t.substring(0, 297) + "..." : t;
    }
}
