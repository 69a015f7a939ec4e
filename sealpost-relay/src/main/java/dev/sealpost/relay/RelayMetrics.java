package dev.sealpost.relay;

import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.StoreException;
import dev.sealpost.relay.store.StoreTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jetty.JettySslHandshakeMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's meters, in a Prometheus registry (Micrometer), or nothing at all when metrics are
 * off ({@link #OFF}: every method returns at once).
 *
 * <p>Labels are closed sets chosen by the relay, never taken from a request: a route is its
 * path template ({@code /v1/messages/{id}}) or {@code (no route)}, a method one of the eight
 * HTTP methods or {@code other}, a status a number. So no account name, message or upload id,
 * token or address can reach a label, and a client cannot create series by inventing paths
 * or methods.
 *
 * <p>Per request the cost is one map lookup and one {@link Timer#record}, plus two counter
 * increments; gauges are computed when scraped. The store's totals (one SQL statement over the
 * message and upload rows) are cached for {@link #TOTALS_TTL}, so a scrape every few seconds
 * reads the database at most once per period.
 */
final class RelayMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayMetrics.class);
    /** Metrics off: no registry, nothing recorded. */
    static final RelayMetrics OFF = new RelayMetrics(null);
    /** How long the store's totals are reused before they are read again. */
    static final Duration TOTALS_TTL = Duration.ofSeconds(5);
    /** The upper bounds of the latency histograms' buckets (Prometheus {@code le}). */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private record Key(String route, String method, int status) {}

    private record RouteMeters(Timer latency, Counter received, Counter sent) {}

    private final PrometheusMeterRegistry registry;
    private final Map<Key, RouteMeters> routes = new ConcurrentHashMap<>();
    private final AtomicInteger patchesRunning = new AtomicInteger();
    private final AtomicLong lastSweep = new AtomicLong();
    private final JvmGcMetrics gc;
    private volatile long totalsReadAt;
    private volatile StoreTotals totals;

    private RelayMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.gc = registry == null ? null : new JvmGcMetrics();
    }

    /**
     * A registry with the relay's own meters and the JVM's and process's (memory, GC, threads,
     * classes, CPU, uptime, open files).
     *
     * @param metadata      read for the stored bytes, messages and uploads (at most once per {@link #TOTALS_TTL})
     * @param eventStreams  the number of open event streams, when scraped
     */
    static RelayMetrics create(MetadataStore metadata, IntSupplier eventStreams) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Jetty counts connection bytes only on a NetworkTrafficServerConnector: on ours they would read 0.
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("jetty.connections.bytes"));
        RelayMetrics m = new RelayMetrics(registry);
        m.bindJvm();
        m.bindRelay(metadata, eventStreams);
        return m;
    }

    /** @return whether anything is recorded */
    boolean enabled() {
        return registry != null;
    }

    /** @return the registry; only if {@link #enabled()} */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    private void bindJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private void bindRelay(MetadataStore metadata, IntSupplier eventStreams) {
        gauge("sealpost.stored.bytes", "Bytes of sealed messages and of uploads (durable part) the relay keeps",
                Tags.of("kind", "messages"), metadata, m -> totals(m).messageBytes());
        gauge("sealpost.stored.bytes", "Bytes of sealed messages and of uploads (durable part) the relay keeps",
                Tags.of("kind", "uploads"), metadata, m -> totals(m).uploadBytes());
        gauge("sealpost.stored.messages", "Sealed messages stored (waiting, or expired and not yet swept)",
                Tags.empty(), metadata, m -> totals(m).messages());
        gauge("sealpost.stored.uploads", "Uploads stored, attached to a message or not",
                Tags.empty(), metadata, m -> totals(m).uploads());
        gauge("sealpost.uploads.incomplete", "Uploads whose bytes have not all arrived",
                Tags.empty(), metadata, m -> totals(m).incompleteUploads());
        gauge("sealpost.uploads.active", "Upload PATCH requests running now",
                Tags.empty(), patchesRunning, AtomicInteger::get);
        gauge("sealpost.events.streams", "Open event streams (server push connections)",
                Tags.empty(), eventStreams, IntSupplier::getAsInt);
        Gauge.builder("sealpost.sweep.last.success.timestamp", lastSweep, AtomicLong::get).baseUnit("seconds")
                .description("When the last housekeeping sweep succeeded, in seconds since the epoch (0: none yet)")
                .strongReference(true).register(registry);
    }

    private <T> void gauge(String name, String help, Tags tags, T object, ToDoubleFunction<T> value) {
        Gauge.builder(name, object, value).description(help).tags(tags).strongReference(true).register(registry);
    }

    /**
     * Adds Jetty's meters: connections (open, their durations and messages), TLS handshakes and
     * the thread pool. Call before the server starts.
     */
    void bindJetty(Connector connector, ThreadPool threads) {
        if (registry == null) {
            return;
        }
        if (connector instanceof AbstractConnector named && named.getName() == null) {
            named.setName("https"); // the connector_name label, instead of "unnamed"
        }
        connector.addBean(new JettyConnectionMetrics(registry, connector));
        connector.addBean(new JettySslHandshakeMetrics(registry, connector));
        new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(registry);
    }

    /**
     * Records one finished request.
     *
     * @param route    the route's path template or {@code (no route)}; a constant, never a request's path
     * @param method   the request's method as sent (mapped here to a closed set)
     * @param status   the response status
     * @param nanos    from the request's arrival to its completion
     * @param received request body bytes read
     * @param sent     response body bytes written
     */
    void request(String route, String method, int status, long nanos, long received, long sent) {
        if (registry == null) {
            return;
        }
        Key key = new Key(route, method(method), status);
        RouteMeters m = routes.get(key);
        if (m == null) {
            m = routes.computeIfAbsent(key, this::meters);
        }
        m.latency().record(nanos, TimeUnit.NANOSECONDS);
        if (received > 0) {
            m.received().increment(received);
        }
        if (sent > 0) {
            m.sent().increment(sent);
        }
    }

    private RouteMeters meters(Key k) {
        Tags tags = Tags.of("route", k.route(), "method", k.method(), "status", Integer.toString(k.status()));
        Timer latency = Timer.builder("sealpost.http.requests")
                .description("HTTP requests: from arrival to the last byte of the answer, by route template, method and status")
                .tags(tags).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        Counter received = Counter.builder("sealpost.http.received").baseUnit("bytes")
                .description("Request body bytes read, by route template").tag("route", k.route()).register(registry);
        Counter sent = Counter.builder("sealpost.http.sent").baseUnit("bytes")
                .description("Response body bytes written, by route template").tag("route", k.route()).register(registry);
        return new RouteMeters(latency, received, sent);
    }

    /** @return {@code method} if it is one of the eight methods of RFC 9110 and RFC 5789, else {@code other} */
    static String method(String method) {
        return switch (method) {
            case "GET" -> "GET";
            case "HEAD" -> "HEAD";
            case "POST" -> "POST";
            case "PUT" -> "PUT";
            case "PATCH" -> "PATCH";
            case "DELETE" -> "DELETE";
            case "OPTIONS" -> "OPTIONS";
            case "TRACE" -> "TRACE";
            case null, default -> "other";
        };
    }

    /** Counts an upload {@code PATCH} as running, until {@link #patchEnded()}. */
    void patchStarted() {
        if (registry != null) {
            patchesRunning.incrementAndGet();
        }
    }

    /** Ends what {@link #patchStarted()} began. */
    void patchEnded() {
        if (registry != null) {
            patchesRunning.decrementAndGet();
        }
    }

    /**
     * Records a housekeeping sweep.
     *
     * @param nanos    how long it took
     * @param messages expired messages deleted
     * @param sessions expired sessions deleted
     * @param uploads  expired uploads deleted
     * @param failure  why it failed, or null
     */
    void sweep(long nanos, int messages, int sessions, int uploads, Throwable failure) {
        if (registry == null) {
            return;
        }
        Timer.builder("sealpost.sweep").description("Housekeeping sweeps of expired messages, sessions and uploads")
                .tag("outcome", failure == null ? "ok" : "failed").register(registry).record(nanos, TimeUnit.NANOSECONDS);
        deleted("messages", messages);
        deleted("sessions", sessions);
        deleted("uploads", uploads);
        if (failure == null) {
            lastSweep.set(System.currentTimeMillis() / 1000);
        }
    }

    private void deleted(String kind, int n) {
        Counter.builder("sealpost.sweep.deleted").description("Expired things deleted by housekeeping sweeps")
                .tag("kind", kind).register(registry).increment(n);
    }

    /** @return the store's totals, read again if older than {@link #TOTALS_TTL}; the last known ones if that fails */
    private StoreTotals totals(MetadataStore metadata) {
        StoreTotals t = totals;
        if (t != null && System.nanoTime() - totalsReadAt < TOTALS_TTL.toNanos()) {
            return t;
        }
        synchronized (this) {
            if (totals != null && System.nanoTime() - totalsReadAt < TOTALS_TTL.toNanos()) {
                return totals;
            }
            try {
                totals = metadata.totals();
            } catch (StoreException e) {
                LOG.warn("metrics: cannot read the store's totals: {}", e.getMessage());
                if (totals == null) {
                    totals = StoreTotals.EMPTY;
                }
            }
            totalsReadAt = System.nanoTime();
            return totals;
        }
    }

    /** Stops the GC listener and the registry. */
    @Override
    public void close() {
        if (registry != null) {
            gc.close();
            registry.close();
        }
    }
}
