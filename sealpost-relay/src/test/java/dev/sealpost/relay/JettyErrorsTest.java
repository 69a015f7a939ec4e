package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sealpost.protocol.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Answers Jetty gives before any route runs (a request it cannot parse, a URI or headers over its
 * limits) are JSON like every other error, and are in the access log.
 */
class JettyErrorsTest extends RelayTestBase {
    final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    final Logger access = (Logger) LoggerFactory.getLogger("dev.sealpost.relay.access");

    @BeforeEach
    void capture() {
        captured.start();
        access.addAppender(captured);
    }

    @AfterEach
    void release() {
        access.detachAppender(captured);
    }

    private List<String> accessLines() {
        synchronized (captured) { // AppenderBase appends under this lock, from Jetty's threads
            return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** Jetty logs a request when it completes, which may be just after the client has the answer. */
    private void awaitAccessLine(String regex) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (accessLines().stream().noneMatch(l -> l.matches(regex))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no access-log line matching " + regex + " in " + accessLines());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
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
        awaitAccessLine("\\S+ \\(no route\\) 414 \\d+ms");
        assertTrue(accessLines().stream().noneMatch(l -> l.contains("xxxx")), accessLines().toString());
    }

    @Test
    void headerOverTheHeadLimit_is431Json_andLogged() {
        HttpResponse<String> r = client.send(client.request(Api.HEALTH).header("X-Filler", "y".repeat(Api.MAX_REQUEST_HEAD_BYTES + 1024)).GET().build());
        assertJsonError(r, 431);
        awaitAccessLine("\\S+ \\(no route\\) 431 \\d+ms");
    }

    @Test
    void malformedHeader_is400Json_andLogged() throws IOException {
        String answer = raw("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nNot a header\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\ncontent-type: application/json"), answer);
        assertTrue(answer.contains("{\"error\":\""), answer);
        awaitAccessLine("\\S+ \\(no route\\) 400 \\d+ms");
    }

    @Test
    void routedRequests_areLoggedOnce() {
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
        // The next request on the same connection is read only once the first has completed and been logged.
        assertEquals(414, client.send(client.request("/" + "x".repeat(Api.MAX_REQUEST_HEAD_BYTES + 1024)).GET().build()).statusCode());
        awaitAccessLine("\\S+ \\(no route\\) 414 \\d+ms");
        assertEquals(List.of("GET /v1/health 200"), accessLines().stream()
                .map(l -> l.replaceAll(" \\d+ms$", "")).filter(l -> !l.endsWith(" 414")).toList());
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
