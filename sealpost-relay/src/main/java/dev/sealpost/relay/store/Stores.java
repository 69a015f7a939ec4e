package dev.sealpost.relay.store;

import com.zaxxer.hikari.HikariConfig;
import dev.sealpost.crypto.AtomicFiles;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Factories for the relay's storage: where the implementations are chosen and configured. */
public final class Stores {
    /** Time a connection waits for another writer before failing (SQLite {@code busy_timeout}), in ms. */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final int SQLITE_CONNECTIONS = 8;

    private Stores() {}

    /**
     * Opens (creating if needed) an SQLite metadata database and migrates its schema with
     * Flyway from {@code classpath:db/migration/sqlite}. The database runs in WAL mode (readers
     * do not block the writer), with {@code synchronous=FULL} (a commit is on disk when it
     * returns), foreign keys enforced and a busy timeout, behind a small HikariCP pool. A new
     * database file is created readable by its owner only.
     *
     * @param databaseFile the database file, for example {@code dataDir/relay.db}
     * @return the store; close it to release the pool
     * @throws IOException if the file cannot be created or the schema cannot be migrated
     */
    public static MetadataStore sqlite(Path databaseFile) throws IOException {
        Path parent = databaseFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (Files.notExists(databaseFile) && Files.getFileStore(parent).supportsFileAttributeView(PosixFileAttributeView.class)) {
            // Password and token hashes: owner only. SQLite gives its -wal and -shm files the same mode.
            Files.createFile(databaseFile, PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY));
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        SQLiteDataSource ds = new SQLiteDataSource(sqlite);
        ds.setUrl("jdbc:sqlite:" + databaseFile.toAbsolutePath());

        HikariConfig pool = new HikariConfig();
        pool.setDataSource(ds);
        pool.setPoolName("sealpost-sqlite");
        pool.setMaximumPoolSize(SQLITE_CONNECTIONS);
        pool.setConnectionTimeout(BUSY_TIMEOUT_MILLIS);
        HikariDataSource hikari;
        try {
            hikari = new HikariDataSource(pool);
        } catch (RuntimeException e) {
            throw new IOException("cannot open " + databaseFile + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure(Stores.class.getClassLoader())
                    .dataSource(hikari)
                    .locations("classpath:db/migration/sqlite")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            hikari.close();
            throw new IOException("cannot migrate " + databaseFile + ": " + e.getMessage(), e);
        }
        return new JdbcMetadataStore(hikari, hikari, true, new StatementCache());
    }

    /** Connections in a PostgreSQL pool: the relay's request threads share them. */
    private static final int POSTGRESQL_CONNECTIONS = 16;

    /**
     * Connects to a PostgreSQL database and migrates its schema with Flyway from
     * {@code classpath:db/migration/postgresql} (the same tables and meaning as the SQLite
     * schema), behind a HikariCP pool. Several relay nodes may share one database. Commits are
     * durable when they return as PostgreSQL's defaults make them ({@code synchronous_commit=on}).
     *
     * @param jdbcUrl  e.g. {@code jdbc:postgresql://127.0.0.1:5432/sealpost}
     * @param user     the database user, or null for the driver's default
     * @param password the password, or null (trust or peer authentication); never logged
     * @return the store; close it to release the pool
     * @throws IOException if the database cannot be reached or the schema cannot be migrated
     */
    public static MetadataStore postgresql(String jdbcUrl, String user, String password) throws IOException {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IOException("not a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB): " + jdbcUrl);
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        if (user != null) {
            pool.setUsername(user);
        }
        if (password != null) {
            pool.setPassword(password);
        }
        pool.setPoolName("sealpost-postgresql");
        pool.setMaximumPoolSize(POSTGRESQL_CONNECTIONS);
        pool.setConnectionTimeout(BUSY_TIMEOUT_MILLIS);
        HikariDataSource hikari;
        try {
            hikari = new HikariDataSource(pool);
        } catch (RuntimeException e) {
            throw new IOException("cannot connect to " + jdbcUrl + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure(Stores.class.getClassLoader())
                    .dataSource(hikari)
                    .locations("classpath:db/migration/postgresql")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            hikari.close();
            throw new IOException("cannot migrate " + jdbcUrl + ": " + e.getMessage(), e);
        }
        return new JdbcMetadataStore(hikari, hikari);
    }

    /**
     * Token buckets in a PostgreSQL store's database, shared by every relay node on it
     * ({@code rate_limits}, created by the store's migrations).
     *
     * @param postgresql a store from {@link #postgresql}, whose pool the buckets use
     * @throws IllegalArgumentException if the store is not a PostgreSQL one
     */
    public static RateBuckets rateBuckets(MetadataStore postgresql) {
        return new PostgresRateBuckets(postgresPool(postgresql));
    }

    /**
     * Notices between the relay nodes on a PostgreSQL store's database ({@code LISTEN/NOTIFY}):
     * publishes through the store's pool and listens on one connection of its own, with the
     * pool's URL and credentials, on a daemon thread. Close it before the store.
     *
     * @param postgresql a store from {@link #postgresql}
     * @param receiver   gets every notice published on the database's schema, this node's own included
     * @throws IllegalArgumentException if the store is not a PostgreSQL one
     * @throws IOException              if the listening connection cannot be opened
     */
    public static NodeChannel nodeChannel(MetadataStore postgresql, NodeChannel.Receiver receiver) throws IOException {
        HikariDataSource pool = postgresPool(postgresql);
        return PostgresNodeChannel.open(pool, pool.getJdbcUrl(), pool.getUsername(), pool.getPassword(), receiver);
    }

    private static HikariDataSource postgresPool(MetadataStore store) {
        if (store instanceof JdbcMetadataStore jdbc && jdbc.dataSource() instanceof HikariDataSource hikari
                && hikari.getJdbcUrl() != null && hikari.getJdbcUrl().startsWith("jdbc:postgresql:")) {
            return hikari;
        }
        throw new IllegalArgumentException("not a PostgreSQL store");
    }

    /**
     * Opens (creating if needed) the directory of whole sealed messages: one file per message,
     * written to a temporary file, forced to disk and renamed into place. Removes leftover
     * temporary files, so only one relay may use the directory at a time.
     *
     * @param dir for example {@code dataDir/blobs} (the relay's folder keeps that historical
     *            name so existing data directories stay readable; it holds sealed messages, not blobs)
     * @throws IOException if the directory cannot be created or read
     */
    public static SealedMessageStore sealedMessages(Path dir) throws IOException {
        return new FileSealedMessageStore(dir);
    }

    /**
     * Opens (creating if needed) the directory of resumable uploads: one file per upload,
     * appended to in place, forced at each checkpoint.
     *
     * @param dir             for example {@code dataDir/uploads}
     * @param checkpointBytes bytes a {@code PATCH} writes between two checkpoints (fsync and recorded offset), positive
     * @throws IOException if the directory cannot be created
     */
    public static UploadStore uploads(Path dir, long checkpointBytes) throws IOException {
        return new FolderUploadStore(dir, checkpointBytes);
    }

    /**
     * Sealed messages as objects {@code messages/ID} of an S3-compatible bucket, which several relay
     * nodes may share.
     *
     * @param spool a local folder for messages over 1 MiB on their way to the bucket (emptied of leftovers here)
     * @throws IOException if the spool folder cannot be created
     */
    public static SealedMessageStore sealedMessages(S3Bucket bucket, Path spool) throws IOException {
        prepareSpool(spool);
        return new S3SealedMessageStore(bucket, spool);
    }

    /**
     * Resumable uploads as S3 multipart uploads of objects {@code uploads/ID} (see {@code S3UploadStore}):
     * a checkpoint is an uploaded part, so an upload begun on one node resumes on any other.
     *
     * @param spool     a local folder for the part being received (emptied of leftovers here)
     * @param partBytes size of a part, in bytes: at least 5 MiB (S3's minimum); more for uploads that
     *                  would need over 10,000 parts
     * @throws IOException if the spool folder cannot be created
     * @throws IllegalArgumentException if {@code partBytes} is below 5 MiB
     */
    public static UploadStore uploads(S3Bucket bucket, Path spool, long partBytes) throws IOException {
        prepareSpool(spool);
        return new S3UploadStore(bucket, spool, partBytes);
    }

    /**
     * Keeps recently stored or read small sealed messages in memory in front of {@code store}
     * (see {@code CachingSealedMessageStore}): messages are never changed, so a fetch soon after
     * the send costs no read of the store.
     *
     * @param maxMessageBytes largest message kept, in bytes
     * @param maxTotalBytes   most bytes kept in all; the oldest go first
     * @throws IllegalArgumentException if {@code maxMessageBytes} is less than 1 or {@code maxTotalBytes} negative
     */
    public static SealedMessageStore cached(SealedMessageStore store, int maxMessageBytes, long maxTotalBytes) {
        return new CachingSealedMessageStore(store, maxMessageBytes, maxTotalBytes);
    }

    private static void prepareSpool(Path spool) throws IOException {
        AtomicFiles.createPrivateDirectory(spool);
        try (var leftovers = Files.newDirectoryStream(spool, "*.{part,spool}")) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }
}
