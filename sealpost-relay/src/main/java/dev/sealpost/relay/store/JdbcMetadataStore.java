package dev.sealpost.relay.store;

import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link MetadataStore} in plain JDBC. It only speaks SQL, and only SQL that SQLite (3.35+)
 * and PostgreSQL both accept, so a PostgreSQL store can reuse it with its own migrations.
 * Instants are BIGINT milliseconds since the epoch.
 */
final class JdbcMetadataStore implements MetadataStore {
    private final DataSource dataSource;
    private final AutoCloseable pool;
    /** Held around every write transaction, or null where the database orders writers itself. */
    private final java.util.concurrent.locks.Lock writer;
    /** Prepared statements kept per connection, or null. */
    private final StatementCache statements;
    /** Most messages stored in one shared commit. */
    static final int BATCH = 64;
    /**
     * Messages waiting for a shared commit ({@link #commitWaiting}): every message on SQLite, the
     * messages without uploads on PostgreSQL.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<PendingMessage> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Held by the thread committing the waiting messages for everyone. */
    private final java.util.concurrent.locks.ReentrantLock committing = new java.util.concurrent.locks.ReentrantLock();
    /** Most messages whose deliveries {@link #recent} remembers (about 350 bytes each). */
    static final int RECENT_MESSAGES = 16_384;
    /**
     * The deliveries of recently stored messages: exact with one writer in this process (SQLite);
     * on a shared database this node's own sends, while {@link #rememberDeliveries} is on.
     */
    private final RecentDeliveries recent;

    JdbcMetadataStore(DataSource dataSource, AutoCloseable pool) {
        this(dataSource, pool, false);
    }

    /**
     * @param oneWriter take turns for write transactions in this process (SQLite): SQLite lets
     *                  one writer in at a time and makes the others poll with growing sleeps of
     *                  up to 100 ms, which under a burst of sends left the database idle between
     *                  commits (p99 over 1 s, issue 14). Waiting on a lock instead hands the
     *                  database to the next writer the moment a commit returns. Only one relay
     *                  uses an SQLite database ({@code relay.lock}), so one process is all writers.
     *                  New messages also share commits: those that arrive while one commit runs
     *                  are stored together in the next ({@link #commitWaiting}), one WAL sync for
     *                  all of them instead of one each. With every writer here, a fetch soon
     *                  after a send is answered from memory ({@link RecentDeliveries}).
     *                  Without it (PostgreSQL) writers need no turns, and messages without
     *                  uploads are stored together in one statement ({@link #insertTogether}).
     */
    JdbcMetadataStore(DataSource dataSource, AutoCloseable pool, boolean oneWriter) {
        this(dataSource, pool, oneWriter, null);
    }

    /**
     * @param statements keeps prepared statements per pooled connection (SQLite), or null to
     *                   prepare each anew (PostgreSQL: pgjdbc keeps server-side prepared
     *                   statements per connection itself)
     */
    JdbcMetadataStore(DataSource dataSource, AutoCloseable pool, boolean oneWriter, StatementCache statements) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.writer = oneWriter ? new java.util.concurrent.locks.ReentrantLock() : null;
        this.statements = statements;
        this.recent = oneWriter ? new RecentDeliveries(RECENT_MESSAGES)
                : RecentDeliveries.shared(RECENT_MESSAGES, SHARED_RECENT_TTL, System::nanoTime);
    }

    /** @return the lock a thread holds while it stores the waiting messages (tests hold it to gather a batch) */
    java.util.concurrent.locks.Lock commitLock() {
        return committing;
    }

    /** @return how many messages wait for the next shared commit */
    int waitingMessages() {
        return waiting.size();
    }

    /** @return the connections this store uses (for the PostgreSQL-only parts beside it) */
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public boolean createAccount(String name, String passwordHash, Instant createdAt) {
        return inTransaction("create account", c -> update(c,
                "INSERT INTO accounts (name, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                name, passwordHash, millis(createdAt)) == 1);
    }

    @Override
    public Optional<String> passwordHash(String name) {
        return read("read account", c -> queryOne(c,
                "SELECT password_hash FROM accounts WHERE name = ?", rs -> rs.getString(1), name));
    }

    @Override
    public boolean accountExists(String name) {
        return read("read account", c -> queryOne(c,
                "SELECT 1 FROM accounts WHERE name = ?", rs -> true, name).isPresent());
    }

    @Override
    public void putKeys(KeyRecord k) {
        inTransaction("publish keys", c -> update(c, """
                INSERT INTO key_bundles (name, signing_certificate, encryption_certificate, updated_at)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET signing_certificate = excluded.signing_certificate,
                    encryption_certificate = excluded.encryption_certificate, updated_at = excluded.updated_at""",
                k.name(), k.signingCertificate(), k.encryptionCertificate(), millis(k.updatedAt())));
    }

    @Override
    public Optional<KeyRecord> keys(String name) {
        return read("read keys", c -> queryOne(c,
                "SELECT name, signing_certificate, encryption_certificate, updated_at FROM key_bundles WHERE name = ?",
                rs -> new KeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getLong(4))), name));
    }

    @Override
    public void createToken(TokenRecord t) {
        inTransaction("create session", c -> update(c,
                "INSERT INTO tokens (token_hash, account, created_at, expires_at, last_used_at, client, address) VALUES (?, ?, ?, ?, ?, ?, ?)",
                t.tokenHash(), t.account(), millis(t.createdAt()), millis(t.expiresAt()),
                t.lastUsedAt() == null ? null : millis(t.lastUsedAt()), t.client(), t.address()));
    }

    private static final String TOKEN_COLUMNS = "token_hash, account, created_at, expires_at, last_used_at, client, address";

    private static TokenRecord tokenRow(ResultSet rs) throws SQLException {
        long lastUsed = rs.getLong(5);
        Instant lastUsedAt = rs.wasNull() ? null : instant(lastUsed);
        return new TokenRecord(rs.getString(1), rs.getString(2), instant(rs.getLong(3)), instant(rs.getLong(4)), lastUsedAt,
                rs.getString(6), rs.getString(7));
    }

    @Override
    public Optional<TokenRecord> token(String tokenHash) {
        return read("read session", c -> queryOne(c, "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE token_hash = ?",
                JdbcMetadataStore::tokenRow, tokenHash));
    }

    @Override
    public List<TokenRecord> tokens(String account, Instant now) {
        return read("read sessions", c -> query(c, "SELECT " + TOKEN_COLUMNS
                + " FROM tokens WHERE account = ? AND expires_at > ? ORDER BY created_at, token_hash", JdbcMetadataStore::tokenRow,
                account, millis(now)));
    }

    @Override
    public void touchToken(String tokenHash, Instant at) {
        inTransaction("use session", c -> update(c, "UPDATE tokens SET last_used_at = ? WHERE token_hash = ?", millis(at), tokenHash));
    }

    @Override
    public boolean deleteToken(String account, String id) {
        return inTransaction("revoke session", c -> update(c,
                "DELETE FROM tokens WHERE account = ? AND substr(token_hash, 1, ?) = ?", account, TokenRecord.ID_LENGTH, id) > 0);
    }

    @Override
    public int deleteTokensExcept(String account, String keepTokenHash) {
        return inTransaction("revoke sessions", c -> update(c,
                "DELETE FROM tokens WHERE account = ? AND token_hash <> ?", account, keepTokenHash == null ? "" : keepTokenHash));
    }

    @Override
    public boolean setPasswordHash(String account, String passwordHash) {
        return inTransaction("change password", c -> update(c,
                "UPDATE accounts SET password_hash = ? WHERE name = ?", passwordHash, account) == 1);
    }

    @Override
    public int deleteTokensExpiredBy(Instant cutoff) {
        return inTransaction("delete sessions", c -> update(c, "DELETE FROM tokens WHERE expires_at <= ?", millis(cutoff)));
    }

    @Override
    public Optional<MfaRecord> mfa(String account) {
        return read("read second factor", c -> queryOne(c,
                "SELECT account, secret, confirmed, last_step, created_at FROM mfa WHERE account = ?",
                rs -> new MfaRecord(rs.getString(1), rs.getString(2), rs.getInt(3) == 1, rs.getLong(4), instant(rs.getLong(5))),
                account));
    }

    @Override
    public boolean beginMfa(MfaRecord m) {
        return inTransaction("begin second factor", c -> update(c, """
                INSERT INTO mfa (account, secret, confirmed, last_step, created_at) VALUES (?, ?, 0, -1, ?)
                ON CONFLICT (account) DO UPDATE SET secret = excluded.secret, last_step = -1, created_at = excluded.created_at
                WHERE mfa.confirmed = 0""", m.account(), m.secret(), millis(m.createdAt())) == 1);
    }

    @Override
    public boolean confirmMfa(String account, long step, List<String> recoveryCodeHashes) {
        return inTransaction("confirm second factor", c -> {
            if (update(c, "UPDATE mfa SET confirmed = 1, last_step = ? WHERE account = ? AND confirmed = 0 AND last_step < ?",
                    step, account, step) != 1) {
                return false;
            }
            update(c, "DELETE FROM recovery_codes WHERE account = ?", account);
            for (String hash : recoveryCodeHashes) {
                update(c, "INSERT INTO recovery_codes (account, code_hash) VALUES (?, ?)", account, hash);
            }
            return true;
        });
    }

    @Override
    public boolean acceptMfaStep(String account, long step) {
        return inTransaction("accept second factor", c -> update(c,
                "UPDATE mfa SET last_step = ? WHERE account = ? AND confirmed = 1 AND last_step < ?", step, account, step) == 1);
    }

    @Override
    public boolean useRecoveryCode(String account, String codeHash, Instant now) {
        return inTransaction("use recovery code", c -> update(c,
                "UPDATE recovery_codes SET used_at = ? WHERE account = ? AND code_hash = ? AND used_at IS NULL",
                millis(now), account, codeHash) == 1);
    }

    @Override
    public int recoveryCodesLeft(String account) {
        return read("read recovery codes", c -> queryOne(c,
                "SELECT count(*) FROM recovery_codes WHERE account = ? AND used_at IS NULL", rs -> rs.getInt(1), account)
                .orElse(0));
    }

    @Override
    public boolean deleteMfa(String account) {
        return inTransaction("delete second factor", c -> {
            update(c, "DELETE FROM recovery_codes WHERE account = ?", account);
            return update(c, "DELETE FROM mfa WHERE account = ?", account) == 1;
        });
    }

    @Override
    public boolean createMessage(MessageRecord m, List<String> recipients, List<String> blobs) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
        if (writer == null && !blobs.isEmpty()) {
            // A shared database: remembered before the commit, forgotten if it fails (RecentDeliveries)
            recent.stored(asStored(m), recipients);
            boolean stored = false;
            try {
                stored = inTransaction("store message", c -> {
                    if (insertMessage(c, m, recipients, blobs)) {
                        return true;
                    }
                    c.rollback();
                    return false;
                });
                return stored;
            } finally {
                if (!stored) {
                    recent.forget(m.id());
                }
            }
        }
        PendingMessage mine = new PendingMessage(m, recipients, blobs);
        waiting.add(mine);
        while (!mine.done) {
            committing.lock();
            try {
                if (!mine.done) {
                    commitWaiting();
                }
            } finally {
                committing.unlock();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.stored;
    }

    /**
     * A message waiting for the next shared commit ({@link #commitWaiting}); its outcome is
     * written under {@link #committing}, and read after {@link #done}.
     */
    private static final class PendingMessage {
        final MessageRecord message;
        final List<String> recipients;
        final List<String> blobs;
        boolean stored;
        RuntimeException failure;
        /** Written last, after {@link #stored} and {@link #failure}: read without the lock, it publishes them. */
        volatile boolean done;

        PendingMessage(MessageRecord message, List<String> recipients, List<String> blobs) {
            this.message = message;
            this.recipients = recipients;
            this.blobs = blobs;
        }
    }

    /**
     * Stores the messages waiting (at most {@link #BATCH}) together. Each caller learns its
     * outcome only after the commit returned, so a stored message is as durable as one committed
     * alone.
     *
     * <p>SQLite: one transaction, each message behind a savepoint of its own, so one message's
     * failure (an unknown recipient, an upload taken meanwhile) rolls back only that message; if
     * the commit fails, every message of the batch fails and none is stored. PostgreSQL:
     * {@link #insertTogether}.
     */
    private void commitWaiting() {
        List<PendingMessage> batch = new ArrayList<>();
        for (PendingMessage p; batch.size() < BATCH && (p = waiting.poll()) != null; ) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        if (writer == null) {
            insertTogether(batch);
            return;
        }
        try {
            inTransaction("store messages", c -> {
                for (PendingMessage p : batch) {
                    Savepoint before = c.setSavepoint();
                    try {
                        p.stored = insertMessage(c, p.message, p.recipients, p.blobs);
                    } catch (SQLException e) {
                        p.failure = new StoreException("store message failed: " + e.getMessage(), e);
                    }
                    if (p.stored) {
                        c.releaseSavepoint(before);
                    } else {
                        c.rollback(before); // if this fails, the whole transaction does: none is stored
                        c.releaseSavepoint(before);
                    }
                }
                return null;
            }, () -> {
                for (PendingMessage p : batch) {
                    if (p.stored) {
                        recent.stored(asStored(p.message), p.recipients);
                    }
                }
            });
        } catch (RuntimeException e) {
            for (PendingMessage p : batch) { // an exception each: their callers throw them on threads of their own
                p.stored = false;
                p.failure = e instanceof StoreException s ? new StoreException(s.getMessage(), s.getCause()) : e;
            }
        }
        for (PendingMessage p : batch) {
            p.done = true;
        }
    }

    /**
     * PostgreSQL: the messages of {@code batch} (none with uploads) and their deliveries in one
     * statement in auto-commit, so one round trip and one WAL flush store them all. Sends that
     * arrive while a batch is being stored wait for the next: under load the batches grow by
     * themselves, alone a message is stored at once. Each message is remembered
     * ({@link RecentDeliveries}) before the statement and forgotten if it is not stored. A
     * statement that fails stores none, and says not which message failed (an unknown recipient,
     * an id that exists): then each is stored alone, with an outcome of its own.
     */
    private void insertTogether(List<PendingMessage> batch) {
        for (PendingMessage p : batch) {
            recent.stored(asStored(p.message), p.recipients);
        }
        try {
            read("store messages", c -> update(c, INSERT_TOGETHER, together(c, batch)));
            for (PendingMessage p : batch) {
                p.stored = true;
            }
        } catch (StoreException e) {
            if (batch.size() == 1) {
                batch.getFirst().failure = e;
            } else {
                for (PendingMessage p : batch) {
                    try {
                        p.stored = read("store message", c -> insertMessage(c, p.message, p.recipients, p.blobs));
                    } catch (RuntimeException alone) {
                        p.failure = alone;
                    }
                }
            }
        } catch (RuntimeException e) {
            for (PendingMessage p : batch) { // an exception each: their callers throw them on threads of their own
                p.failure = new StoreException("store message failed: " + e.getMessage(), e);
            }
        } finally {
            for (PendingMessage p : batch) {
                if (!p.stored) {
                    recent.forget(p.message.id());
                    if (p.failure == null) { // an Error on this thread: theirs must not read as "uploads not attachable"
                        p.failure = new StoreException("store message failed", null);
                    }
                }
                p.done = true;
            }
        }
    }

    /**
     * PostgreSQL: messages and their deliveries in one statement, atomic by itself, one round
     * trip; its parameters are {@link #together}'s arrays.
     */
    private static final String INSERT_TOGETHER = """
            WITH m AS (INSERT INTO messages (id, sender, size, sent_at, expires_at, pending)
                       SELECT * FROM unnest(?::text[], ?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int4[])
                       RETURNING id)
            INSERT INTO deliveries (recipient, message_id)
            SELECT d.recipient, m.id FROM unnest(?::text[], ?::text[]) AS d (message_id, recipient)
            JOIN m ON m.id = d.message_id""";

    /** @return the arrays of {@link #INSERT_TOGETHER}: messages' columns, then deliveries' */
    private static Object[] together(Connection c, List<PendingMessage> batch) throws SQLException {
        int n = batch.size();
        String[] ids = new String[n];
        String[] senders = new String[n];
        Long[] sizes = new Long[n];
        Long[] sent = new Long[n];
        Long[] expires = new Long[n];
        Integer[] pending = new Integer[n];
        List<String> deliveryIds = new ArrayList<>();
        List<String> deliveryRecipients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MessageRecord m = batch.get(i).message;
            ids[i] = m.id();
            senders[i] = m.sender();
            sizes[i] = m.size();
            sent[i] = millis(m.sentAt());
            expires[i] = millis(m.expiresAt());
            pending[i] = batch.get(i).recipients.size();
            for (String r : batch.get(i).recipients) {
                deliveryIds.add(m.id());
                deliveryRecipients.add(r);
            }
        }
        return new Object[] {
            c.createArrayOf("text", ids), c.createArrayOf("text", senders), c.createArrayOf("int8", sizes),
            c.createArrayOf("int8", sent), c.createArrayOf("int8", expires), c.createArrayOf("int4", pending),
            c.createArrayOf("text", deliveryIds.toArray()), c.createArrayOf("text", deliveryRecipients.toArray())
        };
    }

    /** @return false (the caller rolls back) if an upload was not attachable; true if the rows are written */
    private boolean insertMessage(Connection c, MessageRecord m, List<String> recipients, List<String> blobs)
            throws SQLException {
        if (writer == null) { // PostgreSQL: the statement of a batch, with this message alone
            update(c, INSERT_TOGETHER, together(c, List.of(new PendingMessage(m, recipients, blobs))));
            return blobs.isEmpty() || attach(c, m, blobs);
        }
        update(c, "INSERT INTO messages (id, sender, size, sent_at, expires_at, pending) VALUES (?, ?, ?, ?, ?, ?)",
                m.id(), m.sender(), m.size(), millis(m.sentAt()), millis(m.expiresAt()), recipients.size());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO deliveries (recipient, message_id) VALUES (?, ?)")) {
            for (String r : recipients) {
                ps.setString(1, r);
                ps.setString(2, m.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return blobs.isEmpty() || attach(c, m, blobs);
    }

    /** @return true if every upload was attachable and is now attached to {@code m} */
    private static boolean attach(Connection c, MessageRecord m, List<String> blobs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE uploads SET message_id = ?
                WHERE id = ? AND owner = ? AND message_id IS NULL AND durable_offset = total_length AND expires_at > ?""")) {
            for (String id : blobs) {
                ps.setString(1, m.id());
                ps.setString(2, id);
                ps.setString(3, m.sender());
                ps.setLong(4, millis(m.sentAt()));
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
        }
        return true;
    }

    private static final String MESSAGE_COLUMNS = "m.id, m.sender, m.size, m.sent_at, m.expires_at";

    @Override
    public List<MessageRecord> pendingMessages(String recipient, Instant now) {
        return read("list messages", c -> rows(plannedForItsArguments(prepare(c, "SELECT " + MESSAGE_COLUMNS
                + " FROM deliveries d JOIN messages m ON m.id = d.message_id"
                + " WHERE d.recipient = ? AND m.expires_at > ? ORDER BY m.seq", recipient, millis(now))),
                JdbcMetadataStore::message));
    }

    @Override
    public Optional<MessageRecord> pendingMessage(String id, String recipient, Instant now) {
        Optional<MessageRecord> remembered = recent.pending(id, recipient, now);
        if (remembered != null) {
            return remembered;
        }
        return read("read message", c -> queryOne(c, "SELECT " + MESSAGE_COLUMNS
                + " FROM deliveries d JOIN messages m ON m.id = d.message_id"
                + " WHERE d.recipient = ? AND d.message_id = ? AND m.expires_at > ?", JdbcMetadataStore::message,
                recipient, id, millis(now)));
    }

    @Override
    public Acknowledgement acknowledge(String id, String recipient) {
        return inTransaction("acknowledge message", c -> {
            recent.forget(id); // before the commit (RecentDeliveries)
            // PostgreSQL: the message row first, as the expiry sweep's DELETE takes it before its
            // cascade takes the deliveries; delivery first would deadlock with a sweep of the
            // message in between. Concurrent acknowledgements of one message count down one after
            // the other on this lock (on SQLite, on the database's).
            if (writer == null && queryOne(c, "SELECT 1 FROM messages WHERE id = ? FOR UPDATE", rs -> true, id).isEmpty()) {
                return Acknowledgement.NOT_PENDING;
            }
            if (update(c, "DELETE FROM deliveries WHERE message_id = ? AND recipient = ?", id, recipient) == 0) {
                return Acknowledgement.NOT_PENDING;
            }
            update(c, "UPDATE messages SET pending = pending - 1 WHERE id = ?", id);
            return update(c, "DELETE FROM messages WHERE id = ? AND pending <= 0", id) == 1
                    ? Acknowledgement.LAST_RECIPIENT : Acknowledgement.ACKNOWLEDGED;
        });
    }

    @Override
    public List<String> deleteMessagesExpiredBy(Instant now) {
        // One statement (no read-then-write), so SQLite never has to upgrade a read snapshot.
        return inTransaction("delete expired messages", c -> {
            List<String> ids = query(c, "DELETE FROM messages WHERE expires_at <= ? RETURNING id", rs -> rs.getString(1), millis(now));
            recent.forget(ids); // before the commit (RecentDeliveries)
            return ids;
        });
    }

    /** No effect with one writer (SQLite), which remembers always, exactly. */
    @Override
    public void rememberDeliveries(boolean remember) {
        if (writer == null) {
            if (remember) {
                recent.resume();
            } else {
                recent.suspend();
            }
        }
    }

    @Override
    public void forgetDeliveries(Collection<String> messageIds) {
        recent.forget(messageIds);
    }

    @Override
    public boolean messageExists(String id) {
        return read("read message", c -> queryOne(c, "SELECT 1 FROM messages WHERE id = ?", rs -> true, id).isPresent());
    }

    @Override
    public Optional<MessageRecord> message(String id) {
        return read("read message", c -> queryOne(c, "SELECT " + MESSAGE_COLUMNS + " FROM messages m WHERE m.id = ?",
                JdbcMetadataStore::message, id));
    }

    @Override
    public List<String> pendingRecipients(String messageId) {
        return read("read message recipients", c -> query(c,
                "SELECT recipient FROM deliveries WHERE message_id = ?", rs -> rs.getString(1), messageId));
    }

    @Override
    public List<String> messageBlobs(String messageId) {
        return read("read message blobs", c -> query(c,
                "SELECT id FROM uploads WHERE message_id = ?", rs -> rs.getString(1), messageId));
    }

    @Override
    public List<String> blobsOfMessagesExpiredBy(Instant now) {
        return read("read message blobs", c -> query(c,
                "SELECT u.id FROM uploads u JOIN messages m ON m.id = u.message_id WHERE m.expires_at <= ?",
                rs -> rs.getString(1), millis(now)));
    }

    @Override
    public boolean createUpload(UploadRecord u, int maxIncomplete) {
        if (u.offset() != 0 || u.messageId() != null) {
            throw new IllegalArgumentException("a new upload has offset 0 and no message");
        }
        // One statement: SQLite never upgrades a read snapshot, and the count cannot go stale.
        return inTransaction("create upload", c -> update(c, """
                INSERT INTO uploads (id, owner, total_length, durable_offset, created_at, expires_at, completed_at, storage_ref)
                SELECT ?, ?, ?, 0, ?, ?, ?, ?
                WHERE ? = 0 OR (SELECT COUNT(*) FROM uploads WHERE owner = ? AND message_id IS NULL
                       AND durable_offset < total_length AND expires_at > ?) < ?""",
                u.id(), u.owner(), u.length(), millis(u.createdAt()), millis(u.expiresAt()),
                u.completedAt() == null ? null : millis(u.completedAt()), u.storageRef(),
                u.length(), u.owner(), millis(u.createdAt()), maxIncomplete) == 1);
    }

    /**
     * The bytes an account keeps on the relay ({@link #storedBytes}), as one SQL expression; its
     * parameters are the account, the time (ms) and the account again. The messages' part is the
     * row that triggers keep in {@code message_bytes} (migration V8 of both dialects): a sum over
     * the sender's messages grew with its backlog, and on PostgreSQL visited a heap page for each
     * message sent since the last VACUUM (up to 1 ms of database CPU per send with ~750 waiting).
     */
    private static final String STORED_BYTES = """
            (SELECT COALESCE(SUM(total_length), 0) FROM uploads
             WHERE owner = ? AND (message_id IS NOT NULL OR expires_at > ?))
            + COALESCE((SELECT bytes FROM message_bytes WHERE sender = ?), 0)""";

    @Override
    public long storedBytes(String account, Instant now) {
        return read("read stored bytes", c -> queryOne(c, "SELECT " + STORED_BYTES,
                rs -> rs.getLong(1), account, millis(now), account).orElse(0L));
    }

    private record RecipientRow(String name, long stored) {}

    @Override
    public SendCheck sendCheck(String sender, Collection<String> recipients, Instant now) {
        if (recipients.isEmpty()) {
            return new SendCheck(Set.of(), storedBytes(sender, now));
        }
        String marks = String.join(", ", java.util.Collections.nCopies(recipients.size(), "?"));
        Object[] args = new Object[3 + recipients.size()];
        args[0] = sender;
        args[1] = millis(now);
        args[2] = sender;
        System.arraycopy(recipients.toArray(), 0, args, 3, recipients.size());
        // One row per existing recipient, or one with a null name if none exists; the sum on each.
        return read("check a send", c -> {
            List<RecipientRow> rows = query(c, "SELECT a.name, q.stored FROM (SELECT " + STORED_BYTES + " AS stored) q"
                    + " LEFT JOIN accounts a ON a.name IN (" + marks + ")",
                    rs -> new RecipientRow(rs.getString(1), rs.getLong(2)), args);
            Set<String> existing = new HashSet<>();
            for (RecipientRow r : rows) {
                if (r.name() != null) {
                    existing.add(r.name());
                }
            }
            return new SendCheck(existing, rows.getFirst().stored());
        });
    }

    @Override
    public StoreTotals totals() {
        return read("read totals", c -> queryOne(c, """
                SELECT (SELECT COUNT(*) FROM messages), (SELECT COALESCE(SUM(size), 0) FROM messages),
                       (SELECT COUNT(*) FROM uploads), (SELECT COUNT(*) FROM uploads WHERE completed_at IS NULL),
                       (SELECT COALESCE(SUM(durable_offset), 0) FROM uploads)""",
                rs -> new StoreTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                .orElse(StoreTotals.EMPTY));
    }

    @Override
    public Optional<UploadRecord> upload(String id) {
        return read("read upload", c -> queryOne(c, """
                SELECT id, owner, total_length, durable_offset, created_at, expires_at, completed_at, message_id, storage_ref
                FROM uploads WHERE id = ?""", JdbcMetadataStore::upload, id));
    }

    @Override
    public boolean recordUploadOffset(String id, long offset, Instant now, Instant keepUntil) {
        return inTransaction("record upload offset", c -> update(c, """
                UPDATE uploads SET durable_offset = ?,
                    completed_at = CASE WHEN ? = total_length THEN COALESCE(completed_at, ?) ELSE NULL END,
                    expires_at = CASE WHEN expires_at < ? THEN ? ELSE expires_at END
                WHERE id = ? AND message_id IS NULL AND ? <= total_length""",
                offset, offset, millis(now), millis(keepUntil), millis(keepUntil), id, offset) == 1);
    }

    @Override
    public boolean deleteUpload(String id) {
        return inTransaction("delete upload", c -> update(c,
                "DELETE FROM uploads WHERE id = ? AND message_id IS NULL", id) == 1);
    }

    @Override
    public List<String> uploadsExpiredBy(Instant now) {
        return read("read expired uploads", c -> query(c,
                "SELECT id FROM uploads WHERE message_id IS NULL AND expires_at <= ? ORDER BY expires_at, id LIMIT " + SWEEP_BATCH,
                rs -> rs.getString(1), millis(now)));
    }

    @Override
    public List<String> deleteExpiredUploads(List<String> ids, Instant now) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return inTransaction("delete expired uploads", c -> {
            List<String> deleted = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM uploads WHERE id = ? AND message_id IS NULL AND expires_at <= ?")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    ps.setLong(2, millis(now));
                    if (ps.executeUpdate() == 1) {
                        deleted.add(id);
                    }
                }
            }
            return deleted;
        });
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            throw new StoreException("closing the metadata store failed", e);
        }
    }

    // --- plain JDBC helpers -------------------------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * Runs single-statement reads in auto-commit mode, so readers never hold a write lock; also a
     * single write statement on PostgreSQL, which commits by itself.
     */
    private <T> T read(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs writes in one transaction. Each begins with a write statement, so SQLite's
     * deferred transactions take the write lock (waiting up to the busy timeout) before they
     * read anything and never fail on a stale snapshot.
     */
    private <T> T inTransaction(String what, Work<T> work) {
        return inTransaction(what, work, null);
    }

    /**
     * As {@link #inTransaction(String, Work)}, then runs {@code afterCommit} (if not null) once the
     * commit returned, still holding the writer lock, so that no other write comes in between.
     */
    private <T> T inTransaction(String what, Work<T> work, Runnable afterCommit) {
        if (writer != null) {
            writer.lock(); // before a pooled connection is taken: a waiting writer holds none
        }
        try {
            T result = transaction(what, work);
            if (afterCommit != null) {
                afterCommit.run();
            }
            return result;
        } finally {
            if (writer != null) {
                writer.unlock();
            }
        }
    }

    private <T> T transaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException notRolledBack) { // SQLite rolls back by itself on SQLITE_FULL: keep the cause
                    e.addSuppressed(notRolledBack);
                    // The driver's idea of the transaction no longer matches the database's (the next
                    // commit would fail with "no transaction is active"): never lend this connection again.
                    if (dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari) {
                        hikari.evictConnection(c);
                    }
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    private int update(Connection c, String sql, Object... args) throws SQLException {
        KeptStatement s = prepare(c, sql, args);
        try (s) {
            return s.ps().executeUpdate();
        } catch (SQLException e) {
            s.discard();
            throw e;
        }
    }

    private <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        return rows(prepare(c, sql, args), row);
    }

    /** Runs {@code s}'s query and closes (or keeps) {@code s}. */
    private static <T> List<T> rows(KeptStatement s, Row<T> row) throws SQLException {
        try (s; ResultSet rs = s.ps().executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            s.discard();
            throw e;
        }
    }

    private <T> Optional<T> queryOne(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        List<T> all = query(c, sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    private KeptStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        KeptStatement s = statements == null ? new KeptStatement(c.prepareStatement(sql), null) : statements.get(c, sql);
        try {
            for (int i = 0; i < args.length; i++) {
                s.ps().setObject(i + 1, args[i]);
            }
            return s;
        } catch (SQLException e) {
            s.discard();
            throw e;
        }
    }

    /**
     * PostgreSQL: {@code s} is planned for its own arguments every time it runs (pgJDBC's
     * {@code prepareThreshold} 0: an unnamed statement, which the server plans at Bind with the
     * values), never with a generic plan cached for any arguments. For a query whose best plan
     * depends on them: the inbox listing joins one recipient's deliveries to their messages, and
     * a generic plan, costed for the average recipient, is a hash join over every message. The
     * server keeps such a plan for the connection's life once its first executions were costed
     * that way (before any ANALYZE, say): measured in bench/relay-load.sh, 4-38 ms a listing
     * instead of 0.05 ms for 20 of 25,000 messages (docs/BENCHMARKS.md, seventh round). The
     * price is planning on every execution, ~0.1 ms. Other stores' statements are left as they are.
     */
    private static KeptStatement plannedForItsArguments(KeptStatement s) throws SQLException {
        try {
            if (s.ps().isWrapperFor(PGStatement.class)) {
                s.ps().unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            return s;
        } catch (SQLException e) {
            s.discard();
            throw e;
        }
    }

    private static MessageRecord message(ResultSet rs) throws SQLException {
        return new MessageRecord(rs.getString(1), rs.getString(2), rs.getLong(3), instant(rs.getLong(4)), instant(rs.getLong(5)));
    }

    private static UploadRecord upload(ResultSet rs) throws SQLException {
        long completed = rs.getLong(7);
        Instant completedAt = rs.wasNull() ? null : instant(completed);
        return new UploadRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                instant(rs.getLong(5)), instant(rs.getLong(6)), completedAt, rs.getString(8), rs.getString(9));
    }

    /** {@code m} as a read of its row returns it: instants at millisecond precision. */
    private static MessageRecord asStored(MessageRecord m) {
        return new MessageRecord(m.id(), m.sender(), m.size(), Instant.ofEpochMilli(millis(m.sentAt())),
                Instant.ofEpochMilli(millis(m.expiresAt())));
    }

    private static long millis(Instant t) {
        return t.toEpochMilli();
    }

    private static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
