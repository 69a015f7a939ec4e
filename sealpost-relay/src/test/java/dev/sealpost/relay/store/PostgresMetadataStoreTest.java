package dev.sealpost.relay.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/**
 * The metadata contract on a real PostgreSQL (127.0.0.1:5432, database {@code test}, as the
 * development and CI machines run it), each test on a schema of its own that is dropped after.
 * Skipped, with a message, where no server answers.
 */
class PostgresMetadataStoreTest extends MetadataStoreContract {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = System.getProperty("sealpost.test.pguser", "postgres");
    private String schema;

    @Override
    MetadataStore open() throws Exception {
        Assumptions.assumeTrue(reachable("127.0.0.1", 5432), "no PostgreSQL at 127.0.0.1:5432: PostgreSQL store tests skipped");
        if (schema == null) {
            schema = "t_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = DriverManager.getConnection(SERVER, USER, null)) {
                c.createStatement().execute("CREATE SCHEMA " + schema);
            }
        }
        return Stores.postgresql(SERVER + "?currentSchema=" + schema, USER, null);
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(SERVER, USER, null)) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
