package dev.sealpost.relay;

import dev.sealpost.crypto.AtomicFiles;
import dev.sealpost.crypto.OrganisationTrust;
import dev.sealpost.crypto.Fingerprint;
import dev.sealpost.protocol.Json;
import dev.sealpost.relay.store.MetadataStore;
import dev.sealpost.relay.store.SealedMessageStore;
import dev.sealpost.relay.store.Stores;
import dev.sealpost.relay.store.S3Bucket;
import dev.sealpost.relay.store.UploadStore;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the HTTP API of {@link dev.sealpost.protocol.Api} over HTTPS only (TLS 1.3,
 * RFC 8446, and TLS 1.2 with ECDHE and AEAD suites; no plain-HTTP port), with SQLite metadata
 * and a directory of sealed messages under {@link RelayConfig#dataDir()}. Passwords are hashed with Argon2id
 * (RFC 9106); logins return opaque bearer tokens (RFC 6750) stored only as SHA-256 hashes.
 * This class is the composition root: it wires every part by hand.
 *
 * <pre>{@code
 * try (RelayServer relay = RelayServer.start(RelayConfig.defaults(dir).withPort(0))) {
 *     System.out.println(relay.uri() + " " + relay.certificateFingerprint());
 * }
 * }</pre>
 *
 * <p>With a PostgreSQL database ({@link RelayConfig#withDatabase}) several relays may run as
 * nodes of one relay: a message sent through one node is pushed to its recipients' event
 * streams on every node ({@link ClusterEvents}), and the limits against guessing hold across
 * nodes ({@link RateLimit#acrossNodes()}).
 *
 * <p>Expired messages, sessions and unattached uploads are deleted at start and every 5
 * minutes after. One relay
 * at a time may use a data directory ({@code relay.lock}). Handlers run on virtual threads.
 *
 * <p>Only if {@link RelayConfig.Observability#metricsEnabled()}, Prometheus metrics are served
 * on a plain-HTTP port of their own ({@link #metricsUri()}; the API is never on it). Every request
 * is in the access log {@code dev.sealpost.relay.access} ({@link RequestLog}).
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
    static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(5);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Longest wait in {@link #close()} for running requests (ended event streams included). */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final RelayConfig config;
    private final TlsIdentity tls;
    private final Javalin app;
    private final EventHub events;
    private final Mailboxes mailboxes;
    private final Uploads uploads;
    private final SessionManager sessions;
    private final RateLimiters limits;
    private final RelayMetrics metrics;
    private final MetricsEndpoint metricsEndpoint;
    private final ScheduledExecutorService scheduler;
    private final Deque<AutoCloseable> resources;
    private boolean closed;
    /** Whether sealed messages and uploads are in a shared object store (swept for orphans while running). */
    private final boolean objectStorage;
    /** When the object store was last swept for orphans (only the housekeeping thread touches it). */
    private Instant lastOrphanSweep = Instant.now();
    /**
     * How old bytes without a row in a shared object store must be before they are deleted: older than
     * any request still storing them (a message's bytes are stored before its row) could be.
     */
    static final Duration ORPHAN_GRACE = Duration.ofHours(1);
    /** Largest sealed message kept in memory for fetches: 64 KiB (a letter with a thumbnail or two). */
    static final int CACHED_MESSAGE_BYTES = 64 << 10;
    /** Most bytes of sealed messages kept in memory: 32 MiB of the relay's 256 MiB heap. */
    static final long CACHE_BYTES = 32L << 20;

    private RelayServer(RelayConfig config, TlsIdentity tls, Javalin app, EventHub events, Mailboxes mailboxes,
                        Uploads uploads, SessionManager sessions, RateLimiters limits, RelayMetrics metrics,
                        MetricsEndpoint metricsEndpoint, ScheduledExecutorService scheduler, Deque<AutoCloseable> resources) {
        this.config = config;
        this.tls = tls;
        this.app = app;
        this.events = events;
        this.mailboxes = mailboxes;
        this.uploads = uploads;
        this.sessions = sessions;
        this.limits = limits;
        this.metrics = metrics;
        this.metricsEndpoint = metricsEndpoint;
        this.scheduler = scheduler;
        this.resources = resources;
        this.objectStorage = config.objectStorage() != null;
    }

    /**
     * Starts a relay with the system clock.
     *
     * @see #start(RelayConfig, Clock)
     */
    public static RelayServer start(RelayConfig config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts a relay: creates the data directory (mode 0700; an existing one open to other
     * users is restricted to 0700 with a warning), the TLS certificate (first start only) and
     * the database, removes leftovers of a crash, and listens on {@link RelayConfig#host()}
     * and {@link RelayConfig#port()}.
     *
     * @param clock source of time for tokens, messages and rate limits (tests pass their own)
     * @return the running relay; {@link #close()} stops it
     * @throws IOException if the data directory is unusable or used by another relay, the TLS
     *                     files are damaged, the database cannot be migrated, or the port cannot be bound
     */
    public static RelayServer start(RelayConfig config, Clock clock) throws IOException {
        return start(config, clock, Uploads.DEFAULT_CHECKPOINT_BYTES);
    }

    /**
     * As {@link #start(RelayConfig, Clock)}, with another checkpoint interval for uploads (tests).
     *
     * @param uploadCheckpointBytes bytes of a {@code PATCH} between two fsyncs and recorded offsets
     */
    static RelayServer start(RelayConfig config, Clock clock, long uploadCheckpointBytes) throws IOException {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            Path dataDir = config.dataDir();
            privateDataDirectory(dataDir); // holds password and token hashes: owner only
            resources.push(lock(dataDir));
            TlsIdentity tls = TlsIdentity.loadOrCreate(config.effectiveTlsDir(), config.host(), clock);
            MetadataStore metadata = config.database().embedded() ? Stores.sqlite(dataDir.resolve("relay.db"))
                    : Stores.postgresql(config.database().jdbcUrl(), config.database().user(), config.database().password());
            resources.push(metadata);
            // The folder of whole sealed messages keeps its historical name "blobs" (the on-disk
            // layout must not change); the streamed files a letter references are in "uploads".
            SealedMessageStore sealed;
            UploadStore uploadStore;
            RelayConfig.ObjectStorage s3 = config.objectStorage();
            if (s3 == null) {
                sealed = Stores.sealedMessages(dataDir.resolve("blobs"));
                uploadStore = Stores.uploads(dataDir.resolve("uploads"), uploadCheckpointBytes);
            } else {
                S3Bucket bucket = S3Bucket.connect(s3.endpoint(), s3.bucket(), s3.region());
                resources.push(bucket);
                Path spool = dataDir.resolve("spool"); // this node's parts and large messages on their way
                // Each fetch from the bucket is a round trip: recently sent small messages are kept in
                // memory. Not on a folder: there the page cache already holds them, the relay serves
                // what is on its disk, and the cache measured no gain at 50 connections; at 1,000 it
                // shortened the fetch tail but sends measured slower (docs/DECISIONS.md).
                sealed = Stores.cached(Stores.sealedMessages(bucket, spool), CACHED_MESSAGE_BYTES, CACHE_BYTES);
                uploadStore = Stores.uploads(bucket, spool, s3.partBytes());
            }
            resources.push(sealed);
            resources.push(uploadStore);

            // An event stream must write before the idle timeout would close its connection.
            Duration keepAlive = Collections.min(List.of(KEEP_ALIVE, config.connections().idleTimeout().dividedBy(2)));
            EventHub events = new EventHub(keepAlive, clock);
            // On PostgreSQL other nodes may share the database: push and the limits against
            // guessing go through it. SQLite is one node: everything stays in this process.
            boolean shared = !config.database().embedded();
            Mailboxes.Listener push = events;
            if (shared) {
                ClusterEvents cluster = new ClusterEvents(events, metadata, receiver -> Stores.nodeChannel(metadata, receiver));
                resources.push(cluster); // closed before the store
                push = cluster;
            }
            SessionManager sessions = new SessionManager(metadata, config.tokenTtl(), clock);
            resources.push(sessions); // its background reads stop before the store closes
            PasswordHasher hasher = new PasswordHasher(PasswordHasher.OWASP, config.hashing());
            resources.push(hasher);
            MfaManager mfa = new MfaManager(metadata, SecretBox.loadOrCreate(config.effectiveTlsDir().resolve("secrets.key")),
                    "sealpost " + config.host(), clock);
            OrganisationTrust trust = config.trust().enabled()
                    ? OrganisationTrust.load(config.trust().anchor(), config.trust().crl(), clock) : null;
            KeyDirectory keys = new KeyDirectory(metadata, clock, trust);
            AccountsManager accounts = new AccountsManager(metadata, hasher, sessions, mfa, keys, clock);
            StorageGuard storage = new StorageGuard(metadata, dataDir, config.storage(), clock,
                    s3 == null ? Long.MAX_VALUE : Math.max(config.maxMessageBytes(), 2 * s3.partBytes()));
            Uploads uploads = new Uploads(metadata, uploadStore, config.maxUploadBytes(), config.uploadTtl(), clock, storage);
            Mailboxes mailboxes = new Mailboxes(metadata, sealed, uploads, push, config.maxMessageBytes(),
                    config.messageTtl(), clock, storage);
            resources.push(mailboxes::close); // after the server stops, before the stores close
            RateLimiters limits = new RateLimiters(config.rateLimits(), clock, shared ? Stores.rateBuckets(metadata) : null);
            RelayConfig.Observability observability = config.observability();
            RelayMetrics metrics = observability.metricsEnabled() ? RelayMetrics.create(metadata, events::streams) : RelayMetrics.OFF;
            resources.push(metrics);
            HttpRoutes routes = new HttpRoutes(accounts, mfa, sessions, keys, mailboxes, uploads, events, limits, metrics);

            // A folder is this node's alone and nothing runs yet: every orphan goes. A bucket is
            // shared: another node may be between storing bytes and committing their row.
            removeOrphans(mailboxes, uploads, s3 == null ? Instant.MAX : Instant.now().minus(ORPHAN_GRACE));
            Javalin app = javalin(config, tls, routes, new RequestLog(metrics, observability.logClientAddresses()), metrics);
            resources.push(app::stop);
            resources.push(events); // closed first: ends event streams before the server stops
            try {
                app.start();
            } catch (RuntimeException e) {
                throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
            }
            MetricsEndpoint metricsEndpoint = null;
            if (observability.metricsEnabled()) {
                metricsEndpoint = MetricsEndpoint.start(metrics.registry(), observability.metricsHost(), observability.metricsPort());
                resources.push(metricsEndpoint);
            }
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("sealpost-relay-housekeeping").daemon().factory());
            resources.push(scheduler::shutdownNow);
            RelayServer relay = new RelayServer(config, tls, app, events, mailboxes, uploads, sessions, limits, metrics,
                    metricsEndpoint, scheduler, resources);
            relay.housekeeping();
            scheduler.scheduleWithFixedDelay(relay::housekeeping, HOUSEKEEPING_INTERVAL.toSeconds(),
                    HOUSEKEEPING_INTERVAL.toSeconds(), TimeUnit.SECONDS);
            LOG.info("relay listening on {} with certificate {}", relay.uri(), relay.certificateFingerprint());
            return relay;
        } catch (IOException | RuntimeException e) {
            closeAll(resources, e);
            throw e;
        }
    }

    private static Javalin javalin(RelayConfig config, TlsIdentity tls, HttpRoutes routes, RequestLog requestLog,
                                   RelayMetrics metrics) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("sealpost-relay");
        threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("sealpost-relay-vt"));
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.concurrency.useVirtualThreads = true;    // Javalin's async executor (event streams)
            cfg.jetty.threadPool = threads;              // Jetty: platform selectors, handlers on virtual threads
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(STOP_TIMEOUT.toMillis()); // let requests finish
                server.setErrorHandler(new JsonErrorHandler()); // Jetty's own 400/414/431 as JSON
                server.setRequestLog(requestLog);               // every request, once, in the log and the metrics
            });
            cfg.http.compressionStrategy = CompressionStrategy.NONE; // ciphertext does not compress; no BREACH on tokens
            cfg.http.maxRequestSize = HttpRoutes.MAX_JSON_BYTES;
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), true));
            cfg.jetty.addConnector((server, http) -> {
                org.eclipse.jetty.server.Connector connector = TlsConnector.create(server, http, tls, config.host(),
                        config.port(), config.connections(), config.trust());
                metrics.bindJetty(connector, threads);
                return connector;
            });
            cfg.requestLogger.http(RequestLog::route);
            cfg.routes.before(RequestLog::begin);
            ErrorMapper.register(cfg.routes);
            routes.register(cfg.routes);
        });
    }

    /** @return the TCP port the relay listens on (the chosen one if the configuration said 0) */
    public int port() {
        return app.port();
    }

    /**
     * @return {@code https://HOST:PORT} with the configured host, or this machine's host name
     *         when listening on all addresses
     */
    public URI uri() {
        String host = config.host();
        try {
            if (InetAddress.ofLiteral(host).isAnyLocalAddress()) {
                host = TlsIdentity.hostName().orElse("localhost");
            }
        } catch (IllegalArgumentException notAnAddress) {
            // a host name: use it as configured
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("https://" + host + ":" + port());
    }

    /** @return SHA-256 fingerprint of {@link #certificate()}, for clients to pin */
    public Fingerprint certificateFingerprint() {
        return Fingerprint.of(tls.certificate());
    }

    /** @return the relay's TLS certificate (self-signed unless the operator supplied one) */
    public X509Certificate certificate() {
        return tls.certificate();
    }

    private static void removeOrphans(Mailboxes mailboxes, Uploads uploads, Instant cutoff) throws IOException {
        int orphans = mailboxes.removeOrphans(cutoff);
        if (orphans > 0) {
            LOG.info("removed {} stored sealed messages without a message row (left by an interrupted upload or delete)", orphans);
        }
        int orphanUploads = uploads.removeOrphans(cutoff);
        if (orphanUploads > 0) {
            LOG.info("removed {} stored uploads without an upload row (left by an interrupted create or delete)", orphanUploads);
        }
    }

    /**
     * Deletes expired messages (with their blobs), sessions and unattached uploads and forgets
     * full rate-limit buckets; on an object store, at most once per {@link #ORPHAN_GRACE}, also
     * stored bytes without a row older than that. Never throws.
     */
    void housekeeping() {
        if (objectStorage && Instant.now().isAfter(lastOrphanSweep.plus(ORPHAN_GRACE))) {
            lastOrphanSweep = Instant.now();
            try {
                removeOrphans(mailboxes, uploads, lastOrphanSweep.minus(ORPHAN_GRACE));
            } catch (IOException | RuntimeException e) {
                LOG.warn("orphan sweep of the object store failed (tried again in an hour): {}", e.toString());
            }
        }
        long begin = System.nanoTime();
        int messages = 0;
        int tokens = 0;
        int expiredUploads = 0;
        RuntimeException failure = null;
        try {
            messages = mailboxes.sweep();
            tokens = sessions.sweep();
            expiredUploads = uploads.sweep();
            limits.evictFull();
            if (messages + tokens + expiredUploads > 0) {
                LOG.info("housekeeping: deleted {} expired messages, {} expired sessions and {} expired uploads",
                        messages, tokens, expiredUploads);
            }
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("housekeeping failed", e);
        }
        metrics.sweep(System.nanoTime() - begin, messages, tokens, expiredUploads, failure);
    }

    /**
     * @return {@code http://HOST:PORT/metrics} where Prometheus scrapes this relay, with the port
     *         actually bound; empty unless {@link RelayConfig.Observability#metricsEnabled()}
     */
    public Optional<URI> metricsUri() {
        return Optional.ofNullable(metricsEndpoint).map(MetricsEndpoint::uri);
    }

    /** @return open event streams of {@code account} (for tests) */
    int eventStreams(String account) {
        return events.streamsOf(account);
    }

    /** Ends event streams, stops listening, and closes the database. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(resources, null);
    }

    private static void closeAll(Deque<AutoCloseable> resources, Throwable primary) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else {
                    LOG.warn("error while stopping the relay", e);
                }
            }
        }
    }

    /**
     * Creates the data directory with mode 0700, or restricts an existing one that group or
     * others may use to 0700, with a warning: everything in it is the relay's alone.
     *
     * @throws IOException if it cannot be created, or is open to others and cannot be restricted
     *                     (for example, another user owns it)
     */
    static void privateDataDirectory(Path dataDir) throws IOException {
        AtomicFiles.createPrivateDirectory(dataDir);
        if (!Files.getFileStore(dataDir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dataDir);
        if (AtomicFiles.OWNER_DIR.containsAll(mode)) {
            return;
        }
        String was = PosixFilePermissions.toString(mode);
        try {
            AtomicFiles.setPermissions(dataDir, AtomicFiles.OWNER_DIR);
        } catch (IOException e) {
            throw new IOException("the data directory " + dataDir + " is open to other users (" + was
                    + ") and cannot be restricted to its owner; run chmod 700 on it as its owner", e);
        }
        LOG.warn("the data directory {} was open to other users ({}); restricted it to its owner (rwx------)",
                dataDir, was);
    }

    private static AutoCloseable lock(Path dataDir) throws IOException {
        Path file = dataDir.resolve("relay.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            AtomicFiles.setPermissions(file, AtomicFiles.OWNER_ONLY); // an empty file, but nothing here is for others
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another relay is already using " + dataDir);
        }
        return channel; // closing the channel releases the lock
    }
}
