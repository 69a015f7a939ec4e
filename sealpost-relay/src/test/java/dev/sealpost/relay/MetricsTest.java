package dev.sealpost.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.protocol.Api;
import dev.sealpost.protocol.SendResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of a real relay, scraped over real HTTP on its own port: requests counted and
 * timed by route template, method and status; stored bytes, uploads, push streams, sweeps, the
 * JVM and Jetty; and never an account name, id or token.
 */
class MetricsTest extends RelayTestBase {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    RelayConfig configure(RelayConfig defaults) {
        return defaults.withObservability(RelayConfig.Observability.OFF.withMetrics("127.0.0.1", 0));
    }

    private URI metrics() {
        return relay.metricsUri().orElseThrow();
    }

    private HttpResponse<String> scrapeResponse(String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(metrics()).timeout(Duration.ofSeconds(30)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        try {
            return plain.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String scrape() {
        HttpResponse<String> r = scrapeResponse(null);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** @return the value of the sample {@code name} whose labels include {@code labels} (k, v, k, v...), or NaN if none */
    /** @return the sum of every series of {@code name} with these labels (e.g. all heap pools), 0 if none */
    static double sum(String scrape, String name, String... labels) {
        double total = 0;
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            if (m.group(1).equals(name) && labelsMatch(m.group(3), labels)) {
                total += Double.parseDouble(m.group(4));
            }
        }
        return total;
    }

    private static boolean labelsMatch(String group, String... labels) {
        Map<String, String> found = new TreeMap<>();
        if (group != null) {
            Matcher l = LABEL.matcher(group);
            while (l.find()) {
                found.put(l.group(1), l.group(2));
            }
        }
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(found.get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    static double sample(String scrape, String name, String... labels) {
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            if (m.group(1).equals(name) && labelsMatch(m.group(3), labels)) {
                return Double.parseDouble(m.group(4));
            }
        }
        return Double.NaN;
    }

    /** Scrapes until the sample satisfies {@code condition} (requests are counted as they complete, just after the client has the answer), up to 10 s. */
    private String awaitSample(DoublePredicate condition, String name, String... labels) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String s = scrape();
            if (condition.test(sample(s, name, labels))) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " " + List.of(labels) + " never got there; last scrape:\n" + s);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void requests_areCountedAndTimedByRouteTemplate_withoutNamesIdsOrTokens() {
        String password = "secret passphrase 1234";
        client.register("alice", password);
        String token = client.read(client.login("alice", password), dev.sealpost.protocol.SessionResponse.class).token();
        client.register("bob", password);
        String bobToken = client.read(client.login("bob", password), dev.sealpost.protocol.SessionResponse.class).token();
        byte[] sealed = new byte[1234];
        String id = client.read(client.sendMessage(token, sealed, "bob"), SendResponse.class).id();
        assertEquals(200, client.get(Api.MESSAGES + "/" + id, bobToken).statusCode());
        assertEquals(200, client.get(Api.MESSAGES + "/" + id, bobToken).statusCode());
        HttpResponse<String> notHers = client.get(Api.MESSAGES + "/" + id, token);
        assertEquals(404, notHers.statusCode());
        String upload = client.upload(token, 100);
        assertEquals(204, client.patch(token, upload, 0, new byte[40]).statusCode());
        assertEquals(404, client.send(client.request("/v1/no/such/" + id).GET().build()).statusCode());
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());

        String s = awaitSample(v -> v == 1, "sealpost_http_requests_seconds_count", "route", "/v1/health", "method", "GET", "status", "200");
        assertEquals(1, sample(s, "sealpost_http_requests_seconds_count", "route", "/v1/messages", "method", "POST", "status", "201"), s);
        assertEquals(2, sample(s, "sealpost_http_requests_seconds_count", "route", "/v1/messages/{id}", "method", "GET", "status", "200"), s);
        assertEquals(1, sample(s, "sealpost_http_requests_seconds_count", "route", "/v1/messages/{id}", "method", "GET", "status", "404"), s);
        assertEquals(2, sample(s, "sealpost_http_requests_seconds_count", "route", "/v1/sessions", "method", "POST", "status", "200"), s);
        assertEquals(1, sample(s, "sealpost_http_requests_seconds_count", "route", "/v1/uploads/{id}", "method", "PATCH", "status", "204"), s);
        assertEquals(1, sample(s, "sealpost_http_requests_seconds_count", "route", "(no route)", "method", "GET", "status", "404"), s);
        // a Prometheus histogram: cumulative buckets up to +Inf, which holds them all
        assertEquals(2, sample(s, "sealpost_http_requests_seconds_bucket", "route", "/v1/messages/{id}", "status", "200", "le", "+Inf"), s);
        assertTrue(sample(s, "sealpost_http_requests_seconds_bucket", "route", "/v1/messages/{id}", "status", "200", "le", "30.0") == 2, s);
        assertTrue(sample(s, "sealpost_http_requests_seconds_sum", "route", "/v1/messages/{id}", "status", "200") > 0, s);
        assertEquals(1234, sample(s, "sealpost_http_received_bytes_total", "route", "/v1/messages"), s);
        assertEquals(2 * 1234 + notHers.body().length(), sample(s, "sealpost_http_sent_bytes_total", "route", "/v1/messages/{id}"), s);
        assertEquals(40, sample(s, "sealpost_http_received_bytes_total", "route", "/v1/uploads/{id}"), s);

        assertEquals(1, sample(s, "sealpost_stored_messages"), s);
        assertEquals(1234, sample(s, "sealpost_stored_bytes", "kind", "messages"), s);
        assertEquals(1, sample(s, "sealpost_stored_uploads"), s);
        assertEquals(1, sample(s, "sealpost_uploads_incomplete"), s);
        assertEquals(0, sample(s, "sealpost_uploads_active"), s);
        assertEquals(0, sample(s, "sealpost_events_streams"), s);
        assertTrue(sample(s, "sealpost_sweep_seconds_count", "outcome", "ok") >= 1, "the sweep at start");
        assertTrue(sample(s, "sealpost_sweep_last_success_timestamp_seconds") > 0, s);
        assertTrue(sum(s, "jvm_memory_used_bytes", "area", "heap") > 0, s); // one pool may be empty just after a collection
        assertTrue(sample(s, "jvm_threads_live_threads") > 0, s);
        assertTrue(sample(s, "process_cpu_usage") >= 0, s);
        assertTrue(sample(s, "jetty_connections_current_connections", "connector_name", "https") >= 1, s);
        assertTrue(sample(s, "jetty_ssl_handshakes_events_total", "result", "succeeded") >= 1, s);
        assertFalse(s.contains("jetty_connections_bytes_in"), "always 0 on a TLS connector: left out");
        assertTrue(sample(s, "jetty_threads_busy") >= 0, s);

        for (String secret : List.of("alice", "bob", id, upload, token, bobToken, password, "/v1/no/such")) {
            assertFalse(s.contains(secret), secret + " in the scrape:\n" + s);
        }
    }

    @Test
    void aRunningPatch_andAnOpenEventStream_areGauges() throws Exception {
        String token = client.account("carol");
        String upload = client.upload(token, 100);
        // A PATCH by hand: its headers and first 10 of 20 bytes in one write, then held. (The
        // HTTP client gave no such control: its body either left a byte at a time, slowly enough
        // under a loaded CI for the relay's minimum data rate to end it before it was seen, or
        // stayed buffered with its headers until the rest came.)
        try (javax.net.ssl.SSLSocket patch = (javax.net.ssl.SSLSocket) TestClient.trusting(relay.certificate())
                .getSocketFactory().createSocket()) {
            patch.connect(new java.net.InetSocketAddress("127.0.0.1", relay.port()), 10_000);
            patch.startHandshake();
            patch.getOutputStream().write(("PATCH " + Api.UPLOADS + "/" + upload + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token + "\r\n" + Api.TUS_RESUMABLE + ": " + Api.TUS_VERSION + "\r\n"
                    + "Content-Type: " + Api.OFFSET_OCTET_STREAM + "\r\n" + Api.UPLOAD_OFFSET + ": 0\r\n"
                    + "Content-Length: 20\r\n\r\n" + "0123456789").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            patch.getOutputStream().flush();
            HttpResponse<InputStream> stream = client.http.send(client.request(Api.EVENTS, token)
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try {
                awaitSample(v -> v == 1, "sealpost_uploads_active");
                awaitSample(v -> v == 1, "sealpost_events_streams");
            } finally {
                stream.body().close();
            }
        } // the client goes away mid-body: the PATCH ends, with what arrived kept
        awaitSample(v -> v == 0, "sealpost_uploads_active");
        assertEquals("10", client.send(client.request(Api.UPLOADS + "/" + upload, token).header(Api.TUS_RESUMABLE, Api.TUS_VERSION)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).headers().firstValue(Api.UPLOAD_OFFSET).orElse(null));
    }

    @Test
    void expiredMessages_sweptByHousekeeping_areCounted() {
        String alice = client.account("alice");
        client.account("bob");
        client.sendMessage(alice, new byte[10], "bob");
        clock.advance(RelayConfig.DEFAULT_MESSAGE_TTL.plusMinutes(1));
        relay.housekeeping();
        String s = scrape();
        assertEquals(1, sample(s, "sealpost_sweep_deleted_total", "kind", "messages"), s);
        assertTrue(sample(s, "sealpost_sweep_seconds_count", "outcome", "ok") >= 2, s);
    }

    @Test
    void theEndpoint_servesOnlyGetMetrics_andOpenMetricsOnRequest() throws Exception {
        URI base = metrics();
        assertEquals("127.0.0.1", base.getHost());
        assertEquals("/metrics", base.getPath());
        assertEquals(200, client.send(client.request(Api.HEALTH).GET().build()).statusCode());
        awaitSample(v -> v == 1, "sealpost_http_requests_seconds_count", "route", "/v1/health");
        HttpResponse<String> text = scrapeResponse(null);
        assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), text.headers().toString());
        assertTrue(text.body().contains("# TYPE sealpost_http_requests_seconds histogram"), text.body());
        HttpResponse<String> open = scrapeResponse("application/openmetrics-text; version=1.0.0,text/plain;q=0.5");
        assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"), open.headers().toString());
        assertTrue(open.body().endsWith("# EOF\n"), open.body());

        assertEquals(404, plain.send(HttpRequest.newBuilder(base.resolve("/")).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(404, plain.send(HttpRequest.newBuilder(base.resolve("/metrics/x")).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(405, plain.send(HttpRequest.newBuilder(base).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        // the relay's own HTTPS port has no /metrics
        assertEquals(404, client.send(client.request("/metrics").GET().build()).statusCode());
    }

    @Test
    void withoutTheOption_noMetricsPortIsOpened() throws IOException {
        int port = metrics().getPort();
        relay.close();
        relay = RelayServer.start(RelayConfig.defaults(dataDir).withPort(0), clock);
        client = new TestClient(relay);
        assertTrue(relay.metricsUri().isEmpty());
        assertEquals(404, client.send(client.request("/metrics").GET().build()).statusCode());
        // the port the metrics had is closed now, and nothing took its place
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
            throw new AssertionError("something listens on the old metrics port " + port);
        } catch (java.net.ConnectException refused) {
            // expected
        }
    }
}
