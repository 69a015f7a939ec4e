package dev.sealpost.it;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A schema of its own for one test in the machine's PostgreSQL (127.0.0.1:5432, database
 * {@code test}, user postgres, trust authentication); the test is skipped with a message where none runs.
 */
final class PostgresSchema implements AutoCloseable {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    /** Creates the schema, or skips the calling test if no PostgreSQL answers. */
    static PostgresSchema createOrSkip(String what) throws SQLException {
        boolean up;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
            up = true;
        } catch (java.io.IOException e) {
            up = false;
        }
        Assumptions.assumeTrue(up, "no PostgreSQL at 127.0.0.1:5432: " + what + " skipped");
        String name = "it_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(SERVER, "postgres", null)) {
            c.createStatement().execute("CREATE SCHEMA " + name);
        }
        return new PostgresSchema(name);
    }

    /** @return the JDBC URL of this schema */
    String url() {
        return SERVER + "?currentSchema=" + name;
    }

    /** @return a connection to this schema, as user postgres */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", null);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, "postgres", null)) {
            c.createStatement().execute("DROP SCHEMA " + name + " CASCADE");
        }
    }
}
