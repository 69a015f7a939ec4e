package dev.sealpost.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code GET /metrics} in the Prometheus text format (or OpenMetrics when the scraper asks for
 * it), plain HTTP on a port of its own ({@link RelayConfig.Observability}), served by a small
 * Jetty server apart from the relay's, with its own threads (at most four): a scrape never waits
 * behind the relay's connection limits, and a flood of the relay never hides its metrics. Every
 * other path is 404, every other method 405. Idle connections close after
 * {@link #IDLE_TIMEOUT_MILLIS}.
 */
final class MetricsEndpoint implements AutoCloseable {
    static final String PATH = "/metrics";
    static final long IDLE_TIMEOUT_MILLIS = 30_000;
    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    private MetricsEndpoint(Server server, ServerConnector connector, String host) {
        this.server = server;
        this.connector = connector;
        this.host = host;
    }

    /**
     * Listens on {@code host:port}.
     *
     * @param port 0 picks a free one ({@link #uri()})
     * @throws IOException if the port cannot be bound
     */
    static MetricsEndpoint start(PrometheusMeterRegistry registry, String host, int port) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(4, 1);
        threads.setName("sealpost-metrics");
        threads.setReservedThreads(0);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        server.addConnector(connector);
        server.setHandler(new Scrape(registry));
        server.setStopTimeout(0); // a scrape can be cut short: close at once
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new MetricsEndpoint(server, connector, host);
    }

    /** @return {@code http://HOST:PORT/metrics}, with the port actually bound */
    URI uri() {
        String h = host;
        try {
            if (InetAddress.ofLiteral(h) instanceof java.net.Inet6Address) {
                h = "[" + h + "]";
            }
        } catch (IllegalArgumentException notAnAddress) {
            // a host name
        }
        return URI.create("http://" + h + ":" + connector.getLocalPort() + PATH);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class Scrape extends Handler.Abstract {
        private final PrometheusMeterRegistry registry;

        Scrape(PrometheusMeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            if (!PATH.equals(Request.getPathInContext(request))) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                return true;
            }
            String method = request.getMethod();
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                return true;
            }
            String accept = request.getHeaders().get(HttpHeader.ACCEPT);
            String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
            ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
            registry.scrape(body, type);
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.size());
            if (HttpMethod.HEAD.is(method)) {
                callback.succeeded();
            } else {
                response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
            }
            return true;
        }
    }
}
