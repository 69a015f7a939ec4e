package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sealpost.protocol.Api;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every answer, routed or Jetty's own, carries the same security headers. */
class SecurityHeadersTest extends RelayTestBase {
    static final Map<String, String> EXPECTED = Map.of(
            "Strict-Transport-Security", "max-age=31536000",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");

    static void assertSecurityHeaders(HttpResponse<?> r) {
        EXPECTED.forEach((name, value) ->
                assertEquals(value, r.headers().firstValue(name).orElse(null), name + " on " + r.statusCode() + ": " + r.headers()));
    }

    @Test
    void ok_hasSecurityHeaders() {
        HttpResponse<String> r = client.send(client.request(Api.HEALTH).GET().build());
        assertEquals(200, r.statusCode());
        assertSecurityHeaders(r);
    }

    @Test
    void notFound_hasSecurityHeaders() {
        HttpResponse<String> r = client.send(client.request("/v1/nothing-here").GET().build());
        assertEquals(404, r.statusCode());
        assertSecurityHeaders(r);
    }

    @Test
    void refusedByAHandler_hasSecurityHeaders() {
        HttpResponse<String> r = client.get(Api.MESSAGES, "not-a-token");
        assertEquals(401, r.statusCode());
        assertSecurityHeaders(r);
    }

    @Test
    void jettyUriTooLong_hasSecurityHeaders() {
        HttpResponse<String> r = client.send(client.request("/v1/" + "x".repeat(Api.MAX_REQUEST_HEAD_BYTES + 1024)).GET().build());
        assertEquals(414, r.statusCode());
        assertSecurityHeaders(r);
    }
}
