package dev.sealpost.relay;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that takes longer than a deadline to send a request's headers: from the
 * moment it is opened (TLS handshake included) for its first request, and from the first byte
 * of each later one. Jetty's idle timeout alone lets a client keep a connection forever by
 * sending one header line just before each timeout; Jetty has no header deadline of its own.
 * Idle time between requests and pauses in a body are the idle timeout's business.
 *
 * <p>A connector bean: Jetty hands it every connection it opens; a platform thread looks at
 * each HTTP/1.1 connection's parser every quarter of the deadline (at most every second), so
 * a connection is closed between one and one and a quarter deadlines after its wait began.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    /** When a connection began waiting for headers ({@link System#nanoTime()}), or 0 if it is not waiting. */
    private static final class Wait {
        long since;

        Wait(long since) {
            this.since = since;
        }
    }

    private final long deadlineNanos;
    private final long tickMillis;
    private final ConcurrentHashMap<HttpConnection, Wait> connections = new ConcurrentHashMap<>();
    private ScheduledExecutorService ticker;

    /** @param deadline time allowed for a request's headers, positive */
    HeaderDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
        this.tickMillis = Math.clamp(deadline.toMillis() / 4, 50, 1000);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            connections.put(http, new Wait(System.nanoTime()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            connections.remove(http);
        }
    }

    @Override
    protected void doStart() {
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sealpost-relay-header-deadline").daemon().factory());
        ticker.scheduleWithFixedDelay(this::check, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        ticker.shutdownNow();
        connections.clear();
    }

    /** One look at every connection; never throws (it would end the schedule). */
    private void check() {
        long now = System.nanoTime();
        connections.forEach((http, wait) -> {
            try {
                HttpParser parser = http.getParser();
                boolean firstRequest = http.getMessagesIn() == 0;
                if (parser.inHeaderState() && !parser.isStart()) {
                    if (wait.since == 0) {
                        wait.since = now; // a later request has begun
                    }
                } else if (!(parser.isStart() && firstRequest)) {
                    wait.since = 0; // headers complete, or idle between requests
                }
                if (wait.since != 0 && now - wait.since > deadlineNanos) {
                    LOG.debug("closing {}: no complete request headers within {} ms",
                            http.getEndPoint().getRemoteSocketAddress(), deadlineNanos / 1_000_000);
                    connections.remove(http);
                    http.getEndPoint().close();
                }
            } catch (RuntimeException e) {
                LOG.warn("header deadline check failed for a connection", e);
            }
        });
    }
}
