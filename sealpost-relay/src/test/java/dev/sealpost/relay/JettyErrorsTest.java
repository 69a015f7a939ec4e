package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers Jetty gives before any route runs (a request it cannot parse, a URI or headers over its
 * limits) are JSON like every other error, and are in the access log.
 */
class JettyErrorsTest extends RelayTestBase {
    AccessLog log;

    @BeforeEach
    void capture() {
        log = new AccessLog(AccessLog.ACCESS);
    }

    @AfterEach
    void release() {
        log.close();
    }

    private List<String> accessLines() {
        return log.accessLines();
    }

    private void awaitAccessLine(String regex) {
        log.awaitAccessLine(regex);
    }

    private void assertJsonError(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0], r.headers().toString());
        assertFalse(client.error(r).isBlank(), r.body());
    }

    @Test
    void uriOverTheHeadLimit_is414Json_andLogged() {
        String secret = "x".repeat(Api.MAX_REQUEST_HEAD_BYTES + 1024);
        HttpResponse<String> r = client.send(client.request(Api.MESSAGES + "/" + secret).GET().build());
        assertJsonError(r, 414);
        String id = r.headers().firstValue(RequestLog.REQUEST_ID).orElseThrow();
        awaitAccessLine("method=\\S+ route=\\(no route\\) status=414 ms=[0-9.]+ in=0 out=\\d+ id=" + id);
        assertTrue(accessLines().stream().noneMatch(l -> l.contains("xxxx")), accessLines().toString());
    }

    @Test
    void headerOverTheHeadLimit_is431Json_andLogged() {
        HttpResponse<String> r = client.send(client.request(Api.HEALTH).header("X-Filler", "y".repeat(Api.MAX_REQUEST_HEAD_BYTES + 1024)).GET().build());
        assertJsonError(r, 431);
        awaitAccessLine("method=\\S+ route=\\(no route\\) status=431 .*");
    }

    @Test
    void malformedHeader_is400Json_andLogged() throws IOException {
        String answer = raw("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nNot a header\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\ncontent-type: application/json"), answer);
        assertTrue(answer.contains("{\"error\":\""), answer);
        awaitAccessLine("method=\\S+ route=\\(no route\\) status=400 .* id=[0-9a-f]{16}");
    }

    @Test
    void routedRequests_areLoggedOnce() {
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
        // The next request on the same connection is read only once the first has completed and been logged.
        assertEquals(414, client.send(client.request("/" + "x".repeat(Api.MAX_REQUEST_HEAD_BYTES + 1024)).GET().build()).statusCode());
        awaitAccessLine("method=\\S+ route=\\(no route\\) status=414 .*");
        assertEquals(List.of("method=GET route=/v1/health status=200"), accessLines().stream()
                .map(l -> l.replaceAll(" ms=.*$", "")).filter(l -> !l.endsWith("status=414")).toList());
    }

    /** Sends {@code request} as it is over TLS (pinned to the relay's certificate); @return the whole answer */
    String raw(String request) throws IOException {
        try (SSLSocket socket = (SSLSocket) TestClient.trusting(relay.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", relay.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
