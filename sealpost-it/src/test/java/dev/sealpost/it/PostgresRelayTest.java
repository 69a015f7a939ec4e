package dev.sealpost.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sealpost.relay.RelayConfig;
import dev.sealpost.testkit.Authenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole CLI flow on a relay whose metadata is in PostgreSQL (127.0.0.1:5432, database
 * {@code test}, a schema of its own), as {@code sealpost relay --database} runs it. Skipped with
 * a message where no PostgreSQL answers.
 */
class PostgresRelayTest {
    static final String SERVER = PostgresSchema.SERVER;
    @TempDir
    Path root;
    PostgresSchema pg;
    String schema;

    @BeforeEach
    void schema() throws Exception {
        pg = PostgresSchema.createOrSkip("PostgreSQL relay test");
        schema = pg.name;
    }

    @AfterEach
    void drop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void sendAndReceive_withTheMetadataInPostgresql() throws Exception {
        RelayConfig.Database db = new RelayConfig.Database(SERVER + "?currentSchema=" + schema, "postgres", null);
        try (RelayFixture relay = new RelayFixture(root.resolve("relay"), c -> c.withDatabase(db))) {
            Cli.Person alice = relay.join(root, "alice", "p256");
            Cli.Person bob = relay.join(root, "bob", "p256");
            Path big = Files.write(root.resolve("big.bin"), new byte[20 << 20]); // streamed: an upload row too
            alice.must("send", "--to", "bob", "-m", "stored in PostgreSQL", "--file", big.toString());
            Cli.Result got = bob.must("receive", "--all", "--out", root.resolve("in").toString());
            assertTrue(got.out().contains("stored in PostgreSQL"), got.toString());
            assertEquals(20 << 20, Files.size(root.resolve("in").resolve("big.bin")));
            assertTrue(Files.notExists(root.resolve("relay").resolve("relay.db")), "no SQLite file beside it");
        }
        try (Connection c = DriverManager.getConnection(SERVER + "?currentSchema=" + schema, "postgres", null);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM accounts")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "the accounts are in PostgreSQL");
        }
    }

    @Test
    void aDatabaseUrlThatIsNotPostgresql_isAUsageError() {
        Cli.Result r = Cli.Person.at(root, "op").run("relay", "--port", "0", "--data", root.resolve("d").toString(),
                "--database", "jdbc:mysql://127.0.0.1/x");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("jdbc:postgresql://"), r.err());
    }

    @Test
    void twoNodes_shareTheTlsIdentity_theAccounts_andTheSecondFactorSecrets() throws Exception {
        RelayConfig.Database db = new RelayConfig.Database(SERVER + "?currentSchema=" + schema, "postgres", null);
        Path tls = root.resolve("shared-tls");
        try (RelayFixture one = new RelayFixture(root.resolve("node1"), c -> c.withDatabase(db).withTlsDir(tls));
             RelayFixture two = new RelayFixture(root.resolve("node2"), c -> c.withDatabase(db).withTlsDir(tls))) {
            assertEquals(one.fingerprint(), two.fingerprint(), "clients pin one fingerprint for the relay");
            Cli.Person alice = one.join(root, "alice", "p256");
            Cli.Result enabled = alice.must("mfa", "enable");
            String uri = enabled.out().lines().findFirst().orElseThrow();
            String base32 = uri.replaceAll(".*secret=([A-Z2-7]+)&.*", "$1");
            byte[] secret = Authenticator.secret(base32);
            long step = dev.sealpost.protocol.Totp.step(java.time.Instant.now());
            alice.with("SEALPOST_OTP", dev.sealpost.protocol.Totp.code(secret, step - 1, 6)).must("mfa", "confirm");
            // node 2 knows alice, decrypts her TOTP secret with the shared secrets.key, and remembers the used step
            alice.with("SEALPOST_OTP", dev.sealpost.protocol.Totp.code(secret, step + 1, 6))
                    .must("login", "--relay", two.url(), "--relay-fingerprint", two.fingerprint());
            Cli.Result reused = alice.with("SEALPOST_OTP", dev.sealpost.protocol.Totp.code(secret, step + 1, 6))
                    .run("login", "--relay", one.url(), "--relay-fingerprint", one.fingerprint());
            assertEquals(3, reused.code(), "a code used on node 2 is refused on node 1: " + reused);
            assertTrue(Files.exists(tls.resolve("secrets.key")) && Files.exists(tls.resolve("cert.pem")));
        }
    }
}
