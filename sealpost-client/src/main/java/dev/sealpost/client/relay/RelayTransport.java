package dev.sealpost.client.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.protocol.ErrorResponse;
import dev.sealpost.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpRetryException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The one way sealpost talks HTTP to a relay: TLS pinned to the relay's certificate
 * ({@link PinnedTls}), one kept-alive connection reused by every request of a command (the
 * JDK's {@link HttpsURLConnection} pool, keyed by host, port and this transport's socket
 * factory), an optional bearer token (RFC 6750), and one mapping of every failure to a
 * {@link RelayException}. The API classes ({@link AccountApi}, {@link MessageApi},
 * {@link TusUploads}, {@link BlobDownloads}, {@link EventStream}) are built on it.
 *
 * <p>Why {@code HttpsURLConnection} and not {@code java.net.http.HttpClient} or OkHttp: see
 * {@code docs/DECISIONS.md} (measured: HttpClient's asynchronous TLS made ~2 GiB of short-lived
 * buffers per GiB uploaded; the OkHttp comparison is recorded there).
 */
public final class RelayTransport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Longest wait for a byte of an answer to a small request. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
    /** No byte for this long during a transfer means the relay is gone (it fsyncs at most 64 MiB at a time). */
    static final Duration BULK_READ_TIMEOUT = Duration.ofMinutes(2);
    /** Bodies of answers to small requests are JSON of a few KiB; error bodies are cut here, in bytes. */
    static final int ERROR_BODY_BYTES = 64 * 1024;
    /** The largest JSON answer read (an inbox of many messages), in bytes. */
    static final int JSON_BYTES = 16 * 1024 * 1024;
    /** What the relay's session list shows of this client, e.g. {@code sealpost (Linux)}: no user or host name. */
    static final String USER_AGENT = "sealpost (" + System.getProperty("os.name", "?") + ")";
    /** Ids the relay makes: uploads, messages. */
    static final String ID = "[A-Za-z0-9_-]{1,64}";

    private final URI base;
    private final SSLSocketFactory tls;
    private final WriteCoalescing coalescing;
    private final String token;
    final ObjectMapper json = Json.mapper();

    private RelayTransport(URI base, SSLSocketFactory tls, WriteCoalescing coalescing, String token) {
        this.base = base;
        this.tls = tls;
        this.coalescing = coalescing;
        this.token = token;
    }

    /**
     * @param base the relay's {@code https://host:port} URL, optionally with a path prefix
     * @param pin  the SHA-256 fingerprint of the relay's TLS certificate
     * @return an unauthenticated transport; nothing is connected until the first request
     * @throws IllegalArgumentException if {@code base} is not an https URL with a host
     */
    public static RelayTransport connect(URI base, Fingerprint pin) {
        return connect(base, pin, null);
    }

    /**
     * @param device a device key to present when the relay asks for a client certificate, or null
     * @return an unauthenticated transport; nothing is connected until the first request
     * @throws IllegalArgumentException if {@code base} is not an https URL with a host
     */
    public static RelayTransport connect(URI base, Fingerprint pin, dev.sealpost.crypto.Identity.DeviceKey device) {
        if (!"https".equalsIgnoreCase(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("relay URL must be https://HOST:PORT, got " + base);
        }
        WriteCoalescing coalescing = new WriteCoalescing();
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return new RelayTransport(base.resolve(path.isEmpty() ? "/" : path + "/"),
                PinnedTls.socketFactory(PinnedTls.context(pin, device == null ? null : PinnedTls.clientKey(device.key(), device.chain())),
                        coalescing), coalescing, null);
    }

    /**
     * @param bearerToken the session token
     * @return a transport that sends {@code Authorization: Bearer token}; it shares this one's
     *         socket factory, and with it the pool of kept-alive connections
     */
    public RelayTransport withToken(String bearerToken) {
        return new RelayTransport(base, tls, coalescing, bearerToken);
    }

    /** @return the relay's base URL, ending in {@code /} */
    public URI base() {
        return base;
    }

    /** @return the write-gathering scopes of this transport's sockets, for bulk request bodies */
    WriteCoalescing coalescing() {
        return coalescing;
    }

    /** An answer to a small request: its status, its whole body and its connection's headers. */
    record Reply(int status, byte[] body, HttpsURLConnection connection) {
        String header(String name) {
            return connection.getHeaderField(name);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * A blocking connection, pinned, from the keep-alive pool when one to the relay is idle.
     *
     * @param path        relative to the base URL
     * @param readTimeout the longest wait for a byte; zero waits forever
     * @throws RelayException.Unreachable if the URL cannot be opened
     */
    HttpsURLConnection open(String path, Duration readTimeout) throws IOException {
        HttpsURLConnection c;
        try {
            c = (HttpsURLConnection) base.resolve(path.startsWith("/") ? path.substring(1) : path).toURL().openConnection();
        } catch (IOException e) {
            throw failure(e);
        }
        c.setSSLSocketFactory(tls);
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) readTimeout.toMillis());
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("User-Agent", USER_AGENT);
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        return c;
    }

    /**
     * One small request and its whole answer, on a pooled connection. The answer is read to its
     * end, which returns the connection to the pool.
     *
     * @param method      the HTTP method
     * @param path        relative to the base URL
     * @param contentType of {@code body}, or null
     * @param body        the request body, or null for none
     * @param once        send the body with a fixed length, which the JDK never sends a second
     *                    time (it repeats a buffered request once when the connection breaks
     *                    before the answer): for requests that must not happen twice
     * @param limit       the largest answer body wanted, in bytes: a longer one is cut after
     *                    {@code limit + 1} bytes (so the caller can tell) and its connection closed
     * @param headers     extra request headers, as name, value, name, value...
     * @return the answer, whatever its status
     * @throws RelayException.Unreachable or {@link RelayException.Untrusted} if no answer came
     */
    Reply exchange(String method, String path, String contentType, byte[] body, boolean once, long limit,
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
                if (once) {
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
            throw failure(e);
        } finally {
            if (!pooled) {
                c.disconnect();
            }
        }
    }

    /**
     * A JSON request and its JSON answer.
     *
     * @param body an object to send as JSON, or null for none
     * @param type the answer's type; {@code Void.class} for none
     * @return the answer, or null for {@code Void}
     * @throws RelayException for an error status, no answer, or an answer that does not parse
     */
    <T> T json(String method, String path, Object body, Class<T> type) throws IOException {
        byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
        return parse(exchange(method, path, "application/json", bytes, false, JSON_BYTES, "Accept", "application/json"), type);
    }

    /**
     * @return the answer's JSON body as {@code type}, or null for {@code Void}
     * @throws RelayException for an error status or an answer that does not parse
     */
    <T> T parse(Reply res, Class<T> type) throws IOException {
        if (!res.ok()) {
            throw refusal(res);
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
            throw new RelayException.Refused(502, "relay sent an answer sealpost does not understand");
        }
        return value;
    }

    /** The relay answered something sealpost cannot use (a malformed header, entry or range). */
    RelayException malformed(String what) {
        return new RelayException.Refused(502, "relay " + hostPort() + " sent " + what);
    }

    RelayException refusal(Reply res) {
        return refusal(res.status(), res.body(), res.header("Retry-After"));
    }

    /**
     * The one mapping of an HTTP error answer: 429 (and 503 with {@code Retry-After}) to
     * {@link RelayException.RateLimited}, every other status to {@link RelayException.Refused},
     * with the relay's own one-line reason ({@link ErrorResponse}) when it gave one.
     */
    RelayException refusal(int status, byte[] body, String retryAfter) {
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
        String line = "relay: " + oneLine(message);
        if (status == 429 || status == 503 && retry >= 0) {
            return new RelayException.RateLimited(line, retry);
        }
        return new RelayException.Refused(status < 400 || status > 599 ? 502 : status, line);
    }

    /** The error answer of a connection whose request failed or was refused. */
    RelayException refusal(HttpsURLConnection c, int status) {
        return refusal(status, errorBody(c), c.getHeaderField("Retry-After"));
    }

    /**
     * The one mapping of a failed exchange without an HTTP answer: which relay, and what failed,
     * never a token. A certificate other than the pinned one is {@link RelayException.Untrusted};
     * everything else {@link RelayException.Unreachable}.
     */
    RelayException failure(IOException e) {
        if (e instanceof RelayException r) {
            return r;
        }
        PinnedTls.PinMismatchException pin = findCause(e, PinnedTls.PinMismatchException.class);
        if (pin != null) {
            return new RelayException.Untrusted("refusing relay " + hostPort() + ": " + pin.getMessage());
        }
        if (e instanceof ConnectException) {
            return new RelayException.Unreachable("cannot reach relay at " + hostPort() + ": connection refused (is it running?)");
        }
        if (e instanceof SocketTimeoutException) {
            return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect")
                    ? new RelayException.Unreachable("cannot reach relay at " + hostPort() + ": connection timed out")
                    : new RelayException.Unreachable("relay at " + hostPort() + " did not answer in time");
        }
        if (e instanceof SSLException) {
            return new RelayException.Unreachable("TLS with relay " + hostPort() + " failed: " + oneLine(String.valueOf(e.getMessage())));
        }
        return new RelayException.Unreachable("connection to relay " + hostPort() + " failed: "
                + oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    /** A transfer that broke off in the middle: the relay kept what it stored, and a later run resumes. */
    RelayException brokeOff(String what, IOException e) {
        return new RelayException.Unreachable(what + " relay " + hostPort() + " broke off: " + oneLine(String.valueOf(e.getMessage())));
    }

    /**
     * The error body for a 401 whose own body HttpURLConnection dropped: for a request sent
     * with fixed-length streaming it closes the connection on a 401 instead of reading the
     * answer, on some paths. The relay's 401 is always about the token or the credentials.
     */
    private byte[] unauthorized() throws IOException {
        return json.writeValueAsBytes(new ErrorResponse(token == null ? "authentication failed" : "token rejected; log in again"));
    }

    static int statusOrZero(HttpsURLConnection c) {
        try {
            return c.getResponseCode();
        } catch (IOException e) {
            return 0;
        }
    }

    static byte[] errorBody(HttpsURLConnection c) {
        try (InputStream in = c.getErrorStream()) {
            return in == null ? new byte[0] : in.readNBytes(ERROR_BODY_BYTES);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** @return a non-negative decimal header value */
    long longHeader(String value, String name) throws RelayException {
        if (value == null || !value.matches("[0-9]{1,19}")) {
            throw malformed("no valid " + name + " header");
        }
        return Long.parseLong(value);
    }

    String hostPort() {
        return base.getHost() + ":" + (base.getPort() < 0 ? 443 : base.getPort());
    }

    static <E extends Throwable> E findCause(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** @return {@code s} encoded for a path segment or query value */
    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 300 ? t.substring(0, 297) + "..." : t;
    }

    /**
     * A socket read or write failed: a transport failure, whatever a body writer or reader wraps
     * it in, so the transfer can tell it from its own (a file it cannot read or write).
     */
    static final class SocketFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SocketFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
