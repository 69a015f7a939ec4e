package dev.sealpost.cli;

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

    @Override
    public Integer call() throws Exception {
        Ctx ctx = Ctx.of(spec);
        Path dir = data != null ? data : ctx.home().root().resolve("relay");
        RelayConfig config = RelayConfig.defaults(dir).withHost(host).withPort(port);
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
            if (!quiet.quiet) {
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
