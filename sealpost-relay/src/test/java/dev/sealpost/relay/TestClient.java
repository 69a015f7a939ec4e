package dev.sealpost.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.ErrorResponse;
import dev.sealpost.protocol.Json;
import dev.sealpost.protocol.LoginRequest;
import dev.sealpost.protocol.RegisterRequest;
import dev.sealpost.protocol.SessionResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A plain {@link HttpClient} for tests that trusts exactly one certificate, the relay's: no
 * trust-all, and hostname verification stays on (the certificate names 127.0.0.1).
 */
final class TestClient {
    final HttpClient http;
    final URI base;
    final ObjectMapper json = Json.mapper();

    TestClient(RelayServer relay) {
        this(relay, null);
    }

    /** @param localAddress the loopback address to connect from (another client address), or null for any */
    TestClient(RelayServer relay, InetAddress localAddress) {
        this(relay.port(), relay.certificate(), localAddress);
    }

    /** A client of a relay in another process, listening on 127.0.0.1:{@code port} with {@code certificate}. */
    TestClient(int port, X509Certificate certificate, InetAddress localAddress) {
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(trusting(certificate))
                .connectTimeout(Duration.ofSeconds(10));
        if (localAddress != null) {
            b.localAddress(localAddress);
        }
        this.http = b.build();
        this.base = URI.create("https://127.0.0.1:" + port);
    }

    static SSLContext trusting(X509Certificate certificate) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("relay", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    HttpRequest.Builder request(String path, String token) {
        return request(path).header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> sendForBytes(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.BodyPublisher jsonBody(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> postJson(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(jsonBody(body)).build());
    }

    HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    HttpResponse<String> register(String name, String password) {
        return postJson(Api.ACCOUNTS, new RegisterRequest(name, password));
    }

    HttpResponse<String> login(String name, String password) {
        return postJson(Api.SESSIONS, new LoginRequest(name, password));
    }

    /** Registers and logs in; @return the token */
    String account(String name) {
        String password = "password of " + name;
        HttpResponse<String> r = register(name, password);
        if (r.statusCode() != 201) {
            throw new AssertionError("register " + name + ": " + r.statusCode() + " " + r.body());
        }
        HttpResponse<String> s = login(name, password);
        if (s.statusCode() != 200) {
            throw new AssertionError("login " + name + ": " + s.statusCode() + " " + s.body());
        }
        return read(s, SessionResponse.class).token();
    }

    HttpResponse<String> sendMessage(String token, byte[] body, String... to) {
        return send(request(messagesTo(to), token)
                .header("Content-Type", Api.SEALED_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static String messagesTo(String... to) {
        return Api.MESSAGES + "?" + Arrays.stream(to)
                .map(n -> Api.TO_PARAM + "=" + URLEncoder.encode(n, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** POST /v1/uploads with Tus-Resumable and Upload-Length. */
    HttpResponse<String> createUpload(String token, long length) {
        return send(request(Api.UPLOADS, token).header(Api.TUS_RESUMABLE, Api.TUS_VERSION)
                .header(Api.UPLOAD_LENGTH, Long.toString(length))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Creates an upload; @return its id */
    String upload(String token, long length) {
        HttpResponse<String> r = createUpload(token, length);
        if (r.statusCode() != 201) {
            throw new AssertionError("create upload: " + r.statusCode() + " " + r.body());
        }
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    HttpResponse<String> head(String token, String uploadId) {
        return send(request(Api.UPLOADS + "/" + uploadId, token).header(Api.TUS_RESUMABLE, Api.TUS_VERSION)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    /** @return the Upload-Offset a HEAD reports (fails unless 200) */
    long offset(String token, String uploadId) {
        HttpResponse<String> r = head(token, uploadId);
        if (r.statusCode() != 200) {
            throw new AssertionError("HEAD upload: " + r.statusCode());
        }
        return Long.parseLong(r.headers().firstValue(Api.UPLOAD_OFFSET).orElseThrow());
    }

    HttpResponse<String> patch(String token, String uploadId, long offset, byte[] bytes) {
        return send(request(Api.UPLOADS + "/" + uploadId, token).header(Api.TUS_RESUMABLE, Api.TUS_VERSION)
                .header("Content-Type", Api.OFFSET_OCTET_STREAM)
                .header(Api.UPLOAD_OFFSET, Long.toString(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** Sends a message with blobs: POST /v1/messages?to=...&amp;blob=... */
    HttpResponse<String> sendMessage(String token, byte[] body, List<String> to, List<String> blobs) {
        String query = Stream.concat(
                to.stream().map(n -> Api.TO_PARAM + "=" + URLEncoder.encode(n, StandardCharsets.UTF_8)),
                blobs.stream().map(b -> Api.BLOB_PARAM + "=" + URLEncoder.encode(b, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
        return send(request(Api.MESSAGES + "?" + query, token)
                .header("Content-Type", Api.SEALED_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** GET a message's blob, with an optional Range header. */
    HttpResponse<byte[]> blob(String token, String messageId, String blobId, String range) {
        HttpRequest.Builder b = request(Api.MESSAGES + "/" + messageId + "/blobs/" + blobId, token).GET();
        if (range != null) {
            b.header("Range", range);
        }
        return sendForBytes(b.build());
    }

    <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new AssertionError("not a " + type.getSimpleName() + ": " + response.body(), e);
        }
    }

    String error(HttpResponse<String> response) {
        return read(response, ErrorResponse.class).error();
    }

    /** Put in a subscription's queue after the event stream's last line. */
    static final String END_OF_STREAM = "\u0000end of stream";

    /**
     * Opens an event stream the way a client would ({@code ofLines()}); its lines arrive in the
     * queue, then {@link #END_OF_STREAM}. Checks the status, the type and the first comment.
     *
     * @param open where the stream is added, for the test to close it
     */
    java.util.concurrent.BlockingQueue<String> subscribe(String token, List<Stream<String>> open) throws Exception {
        HttpResponse<Stream<String>> r = http.send(request(Api.EVENTS, token)
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        org.junit.jupiter.api.Assertions.assertEquals(200, r.statusCode());
        org.junit.jupiter.api.Assertions.assertTrue(
                r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        open.add(r.body());
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try {
                r.body().forEach(lines::add);
            } catch (RuntimeException closed) {
                // stream closed by the test
            }
            lines.add(END_OF_STREAM);
        });
        org.junit.jupiter.api.Assertions.assertEquals(": connected",
                lines.poll(20, java.util.concurrent.TimeUnit.SECONDS), "the stream's first line");
        return lines;
    }
}
