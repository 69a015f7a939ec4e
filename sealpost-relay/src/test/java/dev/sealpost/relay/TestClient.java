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
import java.util.stream.Collectors;
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
        this.http = HttpClient.newBuilder().sslContext(trusting(relay.certificate()))
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.base = URI.create("https://127.0.0.1:" + relay.port());
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
}
