package dev.sealpost.it;

import dev.sealpost.relay.RelayConfig;
import dev.sealpost.relay.RelayServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A real relay on 127.0.0.1, port 0, real TLS, its SQLite file, sealed messages and uploads under {@code dir}. */
final class RelayFixture implements AutoCloseable {
    final Path dir;
    final RelayServer server;

    RelayFixture(Path dir, UnaryOperator<RelayConfig> tweak) throws IOException {
        this.dir = dir;
        this.server = RelayServer.start(tweak.apply(RelayConfig.defaults(dir).withHost("127.0.0.1").withPort(0)));
    }

    RelayFixture(Path dir) throws IOException {
        this(dir, c -> c);
    }

    String url() {
        return server.uri().toString();
    }

    String fingerprint() {
        return server.certificateFingerprint().toString();
    }

    /** init + register, with small keys for speed */
    Cli.Person join(Path root, String name, String suite) {
        Cli.Person p = Cli.Person.at(root, name);
        p.must("init", "--name", name, "--suite", suite, "--rsa-bits", "2048");
        p.must("register", "--relay", url(), "--relay-fingerprint", fingerprint());
        return p;
    }

    @Override
    public void close() {
        server.close();
    }
}
