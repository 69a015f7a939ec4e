package dev.sealpost.cli;

import dev.sealpost.relay.RateLimit;
import dev.sealpost.relay.RelayConfig;
import dev.sealpost.relay.RelayServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost relay}: runs the relay server until interrupted. */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Run a relay: HTTPS (self-signed certificate made on first start), SQLite metadata and a blob folder under --data.")
final class RelayCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin QuietOption quiet;

    @Option(names = "--port", defaultValue = "8443", description = "TCP port; 0 picks a free one (default 8443).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default 127.0.0.1; 0.0.0.0 for all).")
    String host;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the relay keeps its database, blobs and TLS key (default: $SEALPOST_HOME/relay).")
    Path data;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES", description = "Largest message accepted (default 100663296, 96 MiB).")
    Long maxMessageBytes;

    @Option(names = "--max-upload-bytes", paramLabel = "BYTES", description = "Largest streamed file accepted (default 68719476736, 64 GiB).")
    Long maxUploadBytes;

    @Option(names = "--upload-ttl", paramLabel = "HOURS", description = "Hours an upload not yet part of a message is kept after its last bytes arrived (default 24).")
    Long uploadTtlHours;

    @Option(names = "--max-connections", paramLabel = "N", description = "Open connections in total; over it new ones wait (default 1000).")
    Integer maxConnections;

    @Option(names = "--max-connections-per-address", paramLabel = "N", description = "Open connections from one client address; over it new ones are closed (default 32).")
    Integer maxConnectionsPerAddress;

    @Option(names = "--header-timeout", paramLabel = "SECONDS", description = "Time a connection has for the TLS handshake and a request's headers (default 10).")
    Long headerTimeoutSeconds;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Longest pause in a request body, a response, or between requests (default 30).")
    Long idleTimeoutSeconds;

    @Option(names = "--quota-bytes", paramLabel = "BYTES",
            description = "Bytes one account may keep on the relay: its waiting messages and streamed files, and its uploads "
                    + "counted in full from the start (default 137438953472, 128 GiB).")
    Long quotaBytes;

    @Option(names = "--reserve-bytes", paramLabel = "BYTES",
            description = "Free disk space the relay never lets uploads and messages take, for its database and logs "
                    + "(default 268435456, 256 MiB).")
    Long reserveBytes;

    @Option(names = "--tls-dir", paramLabel = "DIR",
            description = "The relay's TLS key and certificate (cert.pem, key.pem; made on first start if missing) instead of "
                    + "DATA/tls: nodes of one relay share it, so clients pin one fingerprint.")
    Path tlsDir;

    @Option(names = "--database", paramLabel = "JDBC-URL",
            description = "Keep the metadata in PostgreSQL (jdbc:postgresql://HOST:PORT/DB) instead of SQLite in --data; "
                    + "user and password from $SEALPOST_DB_USER and $SEALPOST_DB_PASSWORD or --database-password-file, "
                    + "never the command line.")
    String database;

    @Option(names = "--database-password-file", paramLabel = "FILE", description = "Read the database password from the first line of FILE.")
    Path databasePasswordFile;

    @Option(names = "--s3-bucket", paramLabel = "NAME",
            description = "Keep sealed messages and uploads in this S3-compatible bucket (which must exist) instead of "
                    + "folders in --data, so that several relay nodes share them; credentials from $AWS_ACCESS_KEY_ID and "
                    + "$AWS_SECRET_ACCESS_KEY or the AWS profile ($AWS_PROFILE), never the command line.")
    String s3Bucket;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "The S3-compatible store's address, e.g. http://127.0.0.1:9000 (path-style requests); "
                    + "default: AWS S3 of --s3-region.")
    java.net.URI s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", defaultValue = RelayConfig.ObjectStorage.DEFAULT_REGION,
            description = "The region requests are signed for (default: ${DEFAULT-VALUE}).")
    String s3Region;

    @Option(names = "--trust-anchor", paramLabel = "CA.pem",
            description = "Accept registrations and certificates only from people whose certificates this organisation CA "
                    + "issued for their account name (sealpost ca init).")
    Path trustAnchor;

    @Option(names = "--crl", paramLabel = "FILE",
            description = "The CA's revocation list (sealpost ca crl); read again when the file changes.")
    Path crl;

    @Option(names = "--require-client-cert",
            description = "Mutual TLS: the TLS handshake needs a client certificate that chains to --trust-anchor "
                    + "(the device key sealpost cert install makes). Clients without one cannot connect at all.")
    boolean requireClientCert;

    @Option(names = "--metrics", paramLabel = "[ADDRESS:]PORT",
            description = "Serve Prometheus metrics at http://ADDRESS:PORT/metrics: plain HTTP on a port of its own, "
                    + "ADDRESS 127.0.0.1 unless given ([::1]:PORT for IPv6). Off unless given. No names, ids or tokens in them.")
    String metrics;

    @Option(names = "--log-client-address",
            description = "Name each request's client IP address in the access log (personal data: off by default).")
    boolean logClientAddress;

    @Option(names = "--limit", paramLabel = "NAME=PERMITS/PERIOD",
            description = "A rate limit: PERMITS at once, refilled over PERIOD (30s, 15m, 1h, 1d); repeat for several. NAME is "
                    + "login, login-address, login-global, mfa, registration, send or upload; e.g. --limit registration=100/1h "
                    + "for an office behind one address. With --database, login, login-address, mfa and registration count every node "
                    + "of the relay together; login-global, send and upload count per node (N nodes: up to N times the permits). "
                    + "Defaults: README, \"A relay strangers can share\". Options can also come from a file: "
                    + "sealpost relay --config relay.conf (or @relay.conf: one option per line, # comments).")
    java.util.List<String> limits = java.util.List.of();

    /**
     * Parses {@code --limit NAME=PERMITS/PERIOD}.
     *
     * @throws Failures.UserException (usage) if the name is unknown or the numbers are not positive
     */
    static java.util.Map.Entry<RateLimit, RateLimit.Limit> parseLimit(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z-]+)=([0-9]{1,9})/([0-9]{1,9})([smhd])").matcher(text.strip());
        String names = java.util.Arrays.stream(RateLimit.values()).map(RelayCommand::limitName)
                .collect(java.util.stream.Collectors.joining(", "));
        if (!m.matches()) {
            throw new Failures.UserException(Failures.USAGE, "--limit " + text + ": expected NAME=PERMITS/PERIOD, e.g. registration=100/1h");
        }
        RateLimit which = java.util.Arrays.stream(RateLimit.values()).filter(r -> limitName(r).equals(m.group(1))).findFirst()
                .orElseThrow(() -> new Failures.UserException(Failures.USAGE, "--limit: no limit named " + m.group(1) + " (" + names + ")"));
        int permits = Integer.parseInt(m.group(2));
        long amount = Long.parseLong(m.group(3));
        java.time.Duration period = switch (m.group(4)) {
            case "s" -> java.time.Duration.ofSeconds(amount);
            case "m" -> java.time.Duration.ofMinutes(amount);
            case "h" -> java.time.Duration.ofHours(amount);
            default -> java.time.Duration.ofDays(amount);
        };
        if (permits < 1 || period.isZero()) {
            throw new Failures.UserException(Failures.USAGE, "--limit " + text + ": permits and period must be at least 1");
        }
        return java.util.Map.entry(which, new RateLimit.Limit(permits, period));
    }

    /**
     * Parses {@code --metrics [ADDRESS:]PORT}: {@code 9464}, {@code 127.0.0.1:9464}, {@code [::1]:9464},
     * {@code 10.0.0.5:0} (a free port).
     *
     * @return the metrics part of the relay's observability settings
     * @throws Failures.UserException (usage) if the port is not 0..65535 or an IPv6 address lacks brackets
     */
    static RelayConfig.Observability parseMetrics(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:\\[([0-9A-Fa-f:.%a-z]+)]:|([^:\\[\\]]+):)?([0-9]{1,5})")
                .matcher(text.strip());
        if (!m.matches() || Integer.parseInt(m.group(3)) > 65_535) {
            throw new Failures.UserException(Failures.USAGE,
                    "--metrics " + text + ": expected [ADDRESS:]PORT, e.g. 9464, 127.0.0.1:9464 or [::1]:9464");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : RelayConfig.DEFAULT_HOST;
        return RelayConfig.Observability.OFF.withMetrics(host, Integer.parseInt(m.group(3)));
    }

    /** @return the name {@code --limit} uses for {@code r}: {@code LOGIN_ADDRESS} is {@code login-address} */
    static String limitName(RateLimit r) {
        return r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        Path dir = data != null ? data : ctx.home().root().resolve("relay");
        RelayConfig config = RelayConfig.defaults(dir).withHost(host).withPort(port);
        if (crl != null && trustAnchor == null) {
            throw new Failures.UserException(Failures.USAGE, "--crl needs --trust-anchor");
        }
        if (database != null) {
            String password = databasePasswordFile != null
                    ? new String(Secrets.read(ctx, databasePasswordFile, "SEALPOST_DB_PASSWORD", "Database password", false, "database-password"))
                    : ctx.env().get("SEALPOST_DB_PASSWORD");
            try {
                config = config.withDatabase(new RelayConfig.Database(database, ctx.env().get("SEALPOST_DB_USER"), password));
            } catch (IllegalArgumentException e) {
                throw new Failures.UserException(Failures.USAGE, e.getMessage());
            }
        } else if (databasePasswordFile != null) {
            throw new Failures.UserException(Failures.USAGE, "--database-password-file needs --database");
        }
        if (requireClientCert && trustAnchor == null) {
            throw new Failures.UserException(Failures.USAGE, "--require-client-cert needs --trust-anchor");
        }
        config = config.withTrust(new RelayConfig.Trust(trustAnchor, crl, requireClientCert));
        config = config.withTlsDir(tlsDir);
        if (s3Bucket != null) {
            try {
                config = config.withObjectStorage(new RelayConfig.ObjectStorage(s3Endpoint, s3Bucket, s3Region,
                        RelayConfig.ObjectStorage.DEFAULT_PART_BYTES));
            } catch (IllegalArgumentException e) {
                throw new Failures.UserException(Failures.USAGE, e.getMessage());
            }
        } else if (s3Endpoint != null) {
            throw new Failures.UserException(Failures.USAGE, "--s3-endpoint needs --s3-bucket");
        }
        for (String limit : limits) {
            var parsed = parseLimit(limit);
            config = config.withRateLimit(parsed.getKey(), parsed.getValue());
        }
        if (maxMessageBytes != null) {
            config = config.withMaxMessageBytes(maxMessageBytes);
        }
        if (maxUploadBytes != null) {
            config = config.withMaxUploadBytes(maxUploadBytes);
        }
        if (uploadTtlHours != null) {
            if (uploadTtlHours <= 0) {
                throw new Failures.UserException(Failures.USAGE, "--upload-ttl must be at least 1 hour");
            }
            config = config.withUploadTtl(java.time.Duration.ofHours(uploadTtlHours));
        }
        config = config.withConnections(connections(config.connections()));
        RelayConfig.Observability observability = metrics != null ? parseMetrics(metrics) : RelayConfig.Observability.OFF;
        config = config.withObservability(observability.withClientAddresses(logClientAddress));
        if (quotaBytes != null || reserveBytes != null) {
            RelayConfig.Storage d = config.storage();
            long quota = quotaBytes != null ? quotaBytes : d.quotaBytes();
            long reserve = reserveBytes != null ? reserveBytes : d.reserveBytes();
            if (quota < 1 || reserve < 0) {
                throw new Failures.UserException(Failures.USAGE, "--quota-bytes must be at least 1 and --reserve-bytes not negative");
            }
            config = config.withStorage(new RelayConfig.Storage(quota, reserve));
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (RelayServer server = RelayServer.start(config)) {
            Thread hook = new Thread(stop::countDown, "sealpost-relay-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ctx.out().printf("relay listening on %s%n", server.uri());
            ctx.out().printf("TLS certificate %s%n", server.certificateFingerprint());
            if (server.metricsUri().isPresent()) {
                ctx.out().printf("metrics on %s%n", server.metricsUri().get());
            }
            if (!quiet.quiet) {
                if (config.objectStorage() != null) {
                    ctx.out().printf("sealed messages and uploads in bucket %s%s%n", config.objectStorage().bucket(),
                            config.objectStorage().endpoint() == null ? "" : " at " + config.objectStorage().endpoint());
                }
                ctx.out().printf("data in %s; clients register with:%n  sealpost register --relay %s --relay-fingerprint %s%n",
                        dir.toAbsolutePath(), server.uri(), server.certificateFingerprint());
            }
            ctx.out().flush();
            stop.await();
        }
        return 0;
    }

    private RelayConfig.Connections connections(RelayConfig.Connections d) {
        try {
            return new RelayConfig.Connections(
                    maxConnections != null ? maxConnections : d.maxTotal(),
                    maxConnectionsPerAddress != null ? maxConnectionsPerAddress : d.maxPerAddress(),
                    headerTimeoutSeconds != null ? java.time.Duration.ofSeconds(headerTimeoutSeconds) : d.headerTimeout(),
                    idleTimeoutSeconds != null ? java.time.Duration.ofSeconds(idleTimeoutSeconds) : d.idleTimeout());
        } catch (IllegalArgumentException e) {
            throw new Failures.UserException(Failures.USAGE,
                    "--max-connections, --max-connections-per-address, --header-timeout and --idle-timeout must be at least 1");
        }
    }
}
