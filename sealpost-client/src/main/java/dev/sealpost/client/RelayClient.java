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
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
    private final HttpClient http;
    private final String token;
    private final ObjectMapper json = dev.sealpost.protocol.Json.mapper();

    private RelayClient(URI base, HttpClient http, String token) {
        this.base = base;
        this.http = http;
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
        HttpClient http = HttpClient.newBuilder()
                .sslContext(PinnedTls.context(pin))
                .sslParameters(PinnedTls.parameters())
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        String path = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return new RelayClient(base.resolve(path.isEmpty() ? "/" : path + "/"), http, null);
    }

    /** @return a client that sends {@code Authorization: Bearer token} (RFC 6750) */
    public RelayClient withToken(String bearerToken) {
        return new RelayClient(base, http, bearerToken);
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
        StringJoiner q = new StringJoiner("&", "?", "");
        to.forEach(n -> q.add(Api.TO_PARAM + "=" + enc(n)));
        HttpRequest req = request(Api.MESSAGES + q)
                .header("Content-Type", Api.SEALED_MEDIA_TYPE)
                .expectContinue(true) // the relay refuses (413, 404, 429) before the body is uploaded
                .POST(HttpRequest.BodyPublishers.ofByteArray(sealed)).build();
        return parse(exchange(req, HttpResponse.BodyHandlers.ofByteArray()), SendResponse.class);
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
        HttpRequest req = request(Api.MESSAGE.replace("{id}", enc(id))).GET().build();
        HttpResponse<InputStream> res = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
            if (res.statusCode() != 200) {
                throw error(res.statusCode(), in.readNBytes(64 * 1024), res);
            }
            byte[] body = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
            if (body.length > maxBytes) {
                throw new RelayException(413, "message " + id + " is larger than " + maxBytes + " bytes", -1);
            }
            return body;
        }
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
        HttpRequest req = HttpRequest.newBuilder(uri(Api.EVENTS))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .GET().build();
        HttpResponse<InputStream> res = exchange(req, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            follow(res, lines, onOpen, onMessage);
        } catch (RelayException e) {
            throw e;
        } catch (IOException e) {
            throw new RelayException(0, "lost the event stream from relay " + hostPort() + ": "
                    + oneLine(String.valueOf(e.getMessage())), -1);
        }
    }

    private void follow(HttpResponse<InputStream> res, BufferedReader lines, Runnable onOpen,
                        Consumer<MessageSummary> onMessage) throws IOException {
        if (res.statusCode() != 200) {
            throw error(res.statusCode(), lines.lines().reduce("", String::concat).getBytes(StandardCharsets.UTF_8), res);
        }
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
        HttpRequest.Builder b = request(path).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        }
        return parse(exchange(b.build(), HttpResponse.BodyHandlers.ofByteArray()), type);
    }

    private <T> T parse(HttpResponse<byte[]> res, Class<T> type) throws IOException {
        int s = res.statusCode();
        if (s < 200 || s >= 300) {
            throw error(s, res.body(), res);
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

    private RelayException error(int status, byte[] body, HttpResponse<?> res) {
        String message;
        try {
            message = json.readValue(body, ErrorResponse.class).error();
        } catch (IOException | RuntimeException e) {
            message = null;
        }
        if (message == null || message.isBlank()) {
            message = "HTTP " + status;
        }
        long retry = res.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                return -1L;
            }
        }).orElse(-1L);
        return new RelayException(status, "relay: " + oneLine(message), retry);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(req, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayException(0, "interrupted", -1);
        } catch (SSLException e) {
            PinnedTls.PinMismatchException pin = findCause(e, PinnedTls.PinMismatchException.class);
            if (pin != null) {
                throw new RelayException.UntrustedRelayException("refusing relay " + hostPort() + ": " + pin.getMessage());
            }
            throw new RelayException(0, "TLS with relay " + hostPort() + " failed: " + oneLine(String.valueOf(e.getMessage())), -1);
        } catch (HttpConnectTimeoutException e) {
            throw new RelayException(0, "cannot reach relay at " + hostPort() + ": connection timed out", -1);
        } catch (HttpTimeoutException e) {
            throw new RelayException(0, "relay at " + hostPort() + " did not answer in time", -1);
        } catch (ConnectException e) {
            throw new RelayException(0, "cannot reach relay at " + hostPort() + ": connection refused (is it running?)", -1);
        } catch (IOException e) {
            PinnedTls.PinMismatchException pin = findCause(e, PinnedTls.PinMismatchException.class);
            if (pin != null) {
                throw new RelayException.UntrustedRelayException("refusing relay " + hostPort() + ": " + pin.getMessage());
            }
            throw new RelayException(0, "connection to relay " + hostPort() + " failed: "
                    + oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), -1);
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
