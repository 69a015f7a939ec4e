-- Each sender's waiting message bytes, kept by triggers, so that the quota check before every
-- send (storedBytes) reads one row instead of summing the sender's messages.
--
-- Why (issue 14): on PostgreSQL the sum over messages_by_sender (V7) is an index-only scan only
-- for pages that VACUUM has marked all-visible; every message sent since the last VACUUM is a
-- heap visit. With ~750 messages waiting per sender the sum took 3.5 ms (356 heap pages), and
-- PostgreSQL spent 0.9-1.2 ms of CPU per send, most of the send's cost. A sender's backlog no
-- longer prices its sends. (SQLite's covering index has no such visits, but still reads an entry
-- per waiting message: its V8 keeps the same row.)
--
-- Statement-level triggers with transition tables (PostgreSQL 10+): one row update per sender
-- and statement, after the statement has taken its message rows. A transaction that deletes
-- messages (an acknowledgement, the expiry sweep, a cascade from accounts) therefore always
-- locks its message rows before any row here, and a sweep locks these rows in sender order:
-- two transactions cannot wait on each other in a cycle through this table. A send holds its
-- sender's row from its insert to its commit (a batch of sends, JdbcMetadataStore.insertTogether,
-- the rows of its senders, taken in sender order), so one sender's sends commit one after the
-- other; sends of different senders never wait on each other.
--
-- messages.sender and messages.size never change after the insert (the relay has no such UPDATE).
-- messages_by_sender (V7) stays: it finds a sender's messages when its account is deleted.

-- No insert or delete of a message may slip between the sums below and the triggers.
LOCK TABLE messages IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE message_bytes (
    sender TEXT   NOT NULL PRIMARY KEY REFERENCES accounts (name) ON DELETE CASCADE,
    bytes  BIGINT NOT NULL  -- SUM(size) of the sender's rows in messages
);

INSERT INTO message_bytes (sender, bytes) SELECT sender, SUM(size) FROM messages GROUP BY sender;

CREATE FUNCTION message_bytes_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO message_bytes AS b (sender, bytes)
    SELECT sender, SUM(size) FROM added GROUP BY sender ORDER BY sender
    ON CONFLICT (sender) DO UPDATE SET bytes = b.bytes + excluded.bytes;
    RETURN NULL;
END $$;

CREATE FUNCTION message_bytes_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM removed) THEN
        RETURN NULL; -- an acknowledgement that was not the last: nothing deleted
    END IF;
    PERFORM 1 FROM message_bytes WHERE sender IN (SELECT sender FROM removed) ORDER BY sender FOR UPDATE;
    UPDATE message_bytes b SET bytes = b.bytes - r.bytes
    FROM (SELECT sender, SUM(size) AS bytes FROM removed GROUP BY sender) r
    WHERE b.sender = r.sender;
    RETURN NULL;
END $$;

CREATE TRIGGER messages_added AFTER INSERT ON messages
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION message_bytes_added();
CREATE TRIGGER messages_removed AFTER DELETE ON messages
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION message_bytes_removed();
