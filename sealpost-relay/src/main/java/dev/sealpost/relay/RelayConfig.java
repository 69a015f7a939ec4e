package dev.sealpost.relay;

import dev.sealpost.protocol.Api;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a relay needs to start. Start from {@link #defaults(Path)} and adjust with the
 * {@code with...} methods.
 *
 * <p>The data directory holds {@code relay.db} (SQLite metadata), {@code blobs/} (whole sealed
 * messages; the folder keeps that historical name), {@code uploads/} (resumable uploads, which
 * become the blobs of messages), {@code tls/cert.pem} and {@code tls/key.pem} (the relay's certificate and PKCS#8
 * private key, created on first start) and {@code relay.lock}.
 *
 * @param dataDir         where the relay keeps its state; created if missing
 * @param host            address to listen on, e.g. {@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::}
 * @param port            TCP port for HTTPS; 0 picks a free one (see {@link RelayServer#port()})
 * @param maxMessageBytes largest message body accepted, in bytes; larger ones get 413
 * @param tokenTtl        how long a login token stays valid
 * @param messageTtl      how long an unacknowledged message is kept
 * @param rateLimits      limit for every {@link RateLimit}; missing entries take the default
 * @param maxUploadBytes  largest {@code Upload-Length} of a resumable upload, in bytes; larger ones get 413
 * @param uploadTtl       how long an upload not attached to a message (complete or not) is
 *                        kept after its creation or its last recorded bytes, whichever is later;
 *                        attached ones live as long as their message
 * @param connections     bounds on connections: how many, how slow
 * @param hashing         the password-hashing pool
 * @param storage         the bytes one account may keep and the free space kept back
 * @param trust           an organisation CA whose certificates alone the relay accepts, or {@link Trust#NONE}
 * @param database        where the metadata lives: {@link Database#EMBEDDED} (SQLite in {@code dataDir}) or PostgreSQL
 * @param tlsDir          the folder of the relay's TLS key and certificate ({@code cert.pem}, {@code key.pem}; made
 *                        on first start if empty), or null for {@code dataDir/tls}; several nodes of one relay
 *                        share one, so that clients pin one fingerprint
 * @param objectStorage   an S3-compatible bucket for sealed messages and uploads that several nodes share, or
 *                        null for folders in {@code dataDir}
 * @param observability   the Prometheus metrics port (off by default) and what the access log may name
 */
public record RelayConfig(Path dataDir, String host, int port, long maxMessageBytes,
                          Duration tokenTtl, Duration messageTtl, Map<RateLimit, RateLimit.Limit> rateLimits,
                          long maxUploadBytes, Duration uploadTtl, Connections connections, Hashing hashing,
                          Storage storage, Trust trust, Database database, Path tlsDir, ObjectStorage objectStorage,
                          Observability observability) {
    /** Default listening address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default HTTPS port. */
    public static final int DEFAULT_PORT = 8443;
    /** Default lifetime of a login token: 12 hours. */
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(12);
    /** Default lifetime of an unacknowledged message: 30 days. */
    public static final Duration DEFAULT_MESSAGE_TTL = Duration.ofDays(30);
    /** Default lifetime of an upload not attached to a message: 24 hours. */
    public static final Duration DEFAULT_UPLOAD_TTL = Duration.ofHours(24);

    /**
     * Bounds on the relay's TLS connections. Over {@code maxTotal} the relay stops accepting
     * (new connections wait in the operating system's backlog until one closes); over
     * {@code maxPerAddress} from one client address a new connection is closed at once.
     *
     * @param maxTotal      open connections in total, at least 1
     * @param maxPerAddress open connections from one client IP address, at least 1
     * @param headerTimeout time a connection has to complete the TLS handshake and a request's
     *                      headers (its first, or a later one once its first byte arrived); then it is closed
     * @param idleTimeout   longest pause in reading a request body or writing a response (and
     *                      between requests on a kept-alive connection); then it is closed
     */
    public record Connections(int maxTotal, int maxPerAddress, Duration headerTimeout, Duration idleTimeout) {
        /** Default: 1000 connections, 32 per address, headers within 10 s, no pause over 30 s. */
        public static final Connections DEFAULT = new Connections(1000, 32, Duration.ofSeconds(10), Duration.ofSeconds(30));

        /**
         * @throws NullPointerException     if a duration is null
         * @throws IllegalArgumentException if a count is below 1 or a duration not positive
         */
        public Connections {
            if (maxTotal < 1 || maxPerAddress < 1) {
                throw new IllegalArgumentException("connection limits must be at least 1");
            }
            requirePositive(Objects.requireNonNull(headerTimeout, "headerTimeout"), "headerTimeout");
            requirePositive(Objects.requireNonNull(idleTimeout, "idleTimeout"), "idleTimeout");
        }
    }

    /**
     * The pool that computes Argon2id password hashes (login and registration): platform
     * threads of their own, so that hashing never occupies the carriers of the virtual threads
     * that serve every other request. A hash waits in a queue of {@code queue} places; when it is
     * full the request gets 503 with {@code Retry-After}. Each running hash holds 19 MiB.
     *
     * @param threads hashes computed at once, at least 1
     * @param queue   hashes waiting, at least 1
     */
    public record Hashing(int threads, int queue) {
        /**
         * @throws IllegalArgumentException if a number is below 1
         */
        public Hashing {
            if (threads < 1 || queue < 1) {
                throw new IllegalArgumentException("hashing threads and queue must be at least 1");
            }
        }

        /**
         * @return one thread fewer than this machine has processors (at least 1), and four
         *         waiting places per thread (so a queued login waits at most a few hashes)
         */
        public static Hashing forThisMachine() {
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
            return new Hashing(threads, 4 * threads);
        }
    }

    /**
     * Disk space as a bounded resource (DESIGN §8). Each account may keep at most
     * {@code quotaBytes}: the sealed messages it sent that are still waiting, its streamed files
     * (counted with their message) and its uploads, counted in full from their
     * {@code Upload-Length} when they are created. And the relay never lets uploads and messages
     * take the last {@code reserveBytes} of its disk, which its database, its logs and the
     * finishing of running requests need. Over either, a new upload or message is refused with
     * 507 Insufficient Storage before any byte of it is written.
     *
     * @param quotaBytes   bytes one account may keep on the relay, at least 1
     * @param reserveBytes free bytes the relay keeps on its data folder's disk, 0 or more
     */
    public record Storage(long quotaBytes, long reserveBytes) {
        /** Default: 128 GiB per account (two of the largest uploads), 256 MiB kept free. */
        public static final Storage DEFAULT = new Storage(2 * Api.DEFAULT_MAX_UPLOAD_BYTES, 256L << 20);

        /** @throws IllegalArgumentException if the quota is below 1 or the reserve negative */
        public Storage {
            if (quotaBytes < 1 || reserveBytes < 0) {
                throw new IllegalArgumentException("storage quota must be positive and the reserve not negative");
            }
        }
    }

    /**
     * Validates and copies; fills in default rate limits.
     *
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if a number or duration is out of range
     */
    public RelayConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(messageTtl, "messageTtl");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(uploadTtl, "uploadTtl");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(hashing, "hashing");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(observability, "observability");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive");
        }
        requirePositive(tokenTtl, "tokenTtl");
        requirePositive(messageTtl, "messageTtl");
        requirePositive(uploadTtl, "uploadTtl");
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive");
        }
        EnumMap<RateLimit, RateLimit.Limit> limits = new EnumMap<>(RateLimit.class);
        for (RateLimit r : RateLimit.values()) {
            limits.put(r, Objects.requireNonNullElse(rateLimits.get(r), r.defaultLimit()));
        }
        rateLimits = Collections.unmodifiableMap(limits);
    }

    /**
     * @param dataDir where the relay keeps its state
     * @return 127.0.0.1:8443, {@link Api#DEFAULT_MAX_MESSAGE_BYTES}, tokens valid 12 hours,
     *         messages kept 30 days, default rate limits, {@link Api#DEFAULT_MAX_UPLOAD_BYTES},
     *         unattached uploads kept 24 hours, {@link Connections#DEFAULT},
     *         {@link Hashing#forThisMachine()}, {@link Storage#DEFAULT}, no metrics port,
     *         no client addresses in the access log ({@link Observability#OFF})
     */
    public static RelayConfig defaults(Path dataDir) {
        return new RelayConfig(dataDir, DEFAULT_HOST, DEFAULT_PORT, Api.DEFAULT_MAX_MESSAGE_BYTES,
                DEFAULT_TOKEN_TTL, DEFAULT_MESSAGE_TTL, Map.of(), Api.DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_UPLOAD_TTL,
                Connections.DEFAULT, Hashing.forThisMachine(), Storage.DEFAULT, Trust.NONE, Database.EMBEDDED, null, null, Observability.OFF);
    }

    /** @return a copy listening on {@code host} */
    public RelayConfig withHost(String host) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy listening on {@code port} (0: any free port) */
    public RelayConfig withPort(int port) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy accepting messages of at most {@code maxMessageBytes} bytes */
    public RelayConfig withMaxMessageBytes(long maxMessageBytes) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy whose login tokens last {@code tokenTtl} */
    public RelayConfig withTokenTtl(Duration tokenTtl) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy with {@code limit} for {@code which} */
    public RelayConfig withRateLimit(RateLimit which, RateLimit.Limit limit) {
        EnumMap<RateLimit, RateLimit.Limit> limits = new EnumMap<>(rateLimits);
        limits.put(Objects.requireNonNull(which, "which"), Objects.requireNonNull(limit, "limit"));
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, limits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy accepting uploads of at most {@code maxUploadBytes} bytes ({@code Upload-Length}) */
    public RelayConfig withMaxUploadBytes(long maxUploadBytes) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy deleting uploads not attached to a message {@code uploadTtl} after their creation or last recorded bytes */
    public RelayConfig withUploadTtl(Duration uploadTtl) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy with these connection bounds */
    public RelayConfig withConnections(Connections connections) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy with this password-hashing pool */
    public RelayConfig withHashing(Hashing hashing) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy with this storage quota and reserve */
    public RelayConfig withStorage(Storage storage) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return a copy taking its TLS key and certificate from {@code tlsDir} (null: {@code dataDir/tls}) */
    public RelayConfig withTlsDir(Path tlsDir) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /** @return the folder of the TLS key and certificate in force */
    public Path effectiveTlsDir() {
        return tlsDir != null ? tlsDir : dataDir.resolve("tls");
    }

    /** @return a copy keeping its metadata in {@code database} */
    public RelayConfig withDatabase(Database database) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /**
     * Where the relay keeps its metadata (accounts, sessions, messages' rows, uploads' offsets).
     *
     * @param jdbcUrl  {@code jdbc:postgresql://HOST:PORT/DB}, or null for SQLite in the data directory
     * @param user     the database user, or null
     * @param password its password, or null; never printed ({@link #toString()})
     */
    public record Database(String jdbcUrl, String user, String password) {
        /** SQLite in {@code dataDir/relay.db}: the default. */
        public static final Database EMBEDDED = new Database(null, null, null);

        /** @throws IllegalArgumentException if a URL is given that is not PostgreSQL's */
        public Database {
            if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("--database takes jdbc:postgresql://HOST:PORT/DB, not " + jdbcUrl);
            }
        }

        /** @return whether this is SQLite in the data directory */
        public boolean embedded() {
            return jdbcUrl == null;
        }

        @Override
        public String toString() {
            return embedded() ? "Database[embedded SQLite]" : "Database[" + jdbcUrl + ", user=" + user + ", password=[REDACTED]]";
        }
    }

    /** @return a copy keeping sealed messages and uploads in {@code objectStorage} (null: folders in {@code dataDir}) */
    public RelayConfig withObjectStorage(ObjectStorage objectStorage) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /**
     * An S3-compatible bucket (path-style addresses) for sealed messages and the files of resumable
     * uploads, which several relay nodes share. Credentials come from the AWS SDK's default chain
     * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code AWS_PROFILE}), never from here.
     *
     * @param endpoint  e.g. {@code http://127.0.0.1:9000}; null for AWS S3 itself
     * @param bucket    an existing bucket
     * @param region    the region requests are signed for, e.g. {@code us-east-1}
     * @param partBytes the part size of uploads, in bytes: at least 5 MiB (S3's minimum)
     */
    public record ObjectStorage(java.net.URI endpoint, String bucket, String region, long partBytes) {
        /** Default region: what most S3-compatible stores expect. */
        public static final String DEFAULT_REGION = "us-east-1";
        /** Default part size: 16 MiB, an upload's most bytes a broken connection makes the client send again. */
        public static final long DEFAULT_PART_BYTES = 16L << 20;

        /** @throws IllegalArgumentException if the bucket is blank, the endpoint not http(s), or the part under 5 MiB */
        public ObjectStorage {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("--s3-bucket needs a bucket name");
            }
            if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new IllegalArgumentException("--s3-endpoint takes an http:// or https:// URL, not " + endpoint);
            }
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException("--s3-region needs a region name");
            }
            if (partBytes < (5L << 20)) {
                throw new IllegalArgumentException("an S3 part needs at least 5 MiB");
            }
        }
    }

    /** @return a copy that accepts only people whose certificates chain to this organisation CA */
    public RelayConfig withTrust(Trust trust) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /**
     * An organisation CA as the relay's trust anchor: registrations and key publications are
     * accepted only for certificates that chain to it (PKIX), name the account in their CN and
     * are not revoked by {@code crl} ({@link dev.sealpost.crypto.OrganisationTrust}).
     *
     * @param anchor            the CA certificate (PEM), or null for none
     * @param crl               its CRL (PEM), read again when the file changes; null to check no revocation
     * @param requireClientCert mutual TLS: the handshake needs a client certificate that chains
     *                          to {@code anchor} (a device key, {@code sealpost cert install})
     */
    public record Trust(Path anchor, Path crl, boolean requireClientCert) {
        /** No organisation CA: keys are pinned by clients on first use. */
        public static final Trust NONE = new Trust(null, null, false);

        /** An organisation CA without mutual TLS. */
        public Trust(Path anchor, Path crl) {
            this(anchor, crl, false);
        }

        /** @throws IllegalArgumentException if a CRL or client certificates are asked for without an anchor */
        public Trust {
            if (anchor == null && (crl != null || requireClientCert)) {
                throw new IllegalArgumentException("a CRL or client certificates need a trust anchor");
            }
        }

        /** @return whether an anchor is set */
        public boolean enabled() {
            return anchor != null;
        }
    }

    /** @return a copy with these metrics and access-log settings */
    public RelayConfig withObservability(Observability observability) {
        return new RelayConfig(dataDir, host, port, maxMessageBytes, tokenTtl, messageTtl, rateLimits, maxUploadBytes, uploadTtl, connections, hashing, storage, trust, database, tlsDir, objectStorage, observability);
    }

    /**
     * How operators watch the relay. Metrics in the Prometheus text format are served at
     * {@code http://metricsHost:metricsPort/metrics}, plain HTTP on a port of their own, never on
     * the relay's public HTTPS port; a loopback or private address is meant (docs/DECISIONS.md).
     * The access log ({@code dev.sealpost.relay.access}) names no client address unless
     * {@code logClientAddresses}: an address is personal data, and the relay keeps it only where
     * a rule needs it (rate limits, connection limits, the session list).
     *
     * @param metricsHost        the address to serve metrics on, e.g. {@code 127.0.0.1}, or null for no metrics
     * @param metricsPort        its TCP port; 0 picks a free one ({@link RelayServer#metricsUri()})
     * @param logClientAddresses whether each access-log line names the client's IP address
     */
    public record Observability(String metricsHost, int metricsPort, boolean logClientAddresses) {
        /** No metrics port, no client addresses in the access log: the default. */
        public static final Observability OFF = new Observability(null, 0, false);

        /** @throws IllegalArgumentException if the host is blank or the port out of 0..65535 */
        public Observability {
            if (metricsHost != null && metricsHost.isBlank()) {
                throw new IllegalArgumentException("the metrics host must not be blank");
            }
            if (metricsPort < 0 || metricsPort > 65_535) {
                throw new IllegalArgumentException("the metrics port must be 0 to 65535, not " + metricsPort);
            }
        }

        /** @return a copy serving metrics on {@code host:port} */
        public Observability withMetrics(String host, int port) {
            return new Observability(Objects.requireNonNull(host, "host"), port, logClientAddresses);
        }

        /** @return a copy that does (or does not) name client addresses in the access log */
        public Observability withClientAddresses(boolean log) {
            return new Observability(metricsHost, metricsPort, log);
        }

        /** @return whether a metrics port is configured */
        public boolean metricsEnabled() {
            return metricsHost != null;
        }
    }

    /** @return the limit in force for {@code which} */
    public RateLimit.Limit rateLimit(RateLimit which) {
        return rateLimits.get(which);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
