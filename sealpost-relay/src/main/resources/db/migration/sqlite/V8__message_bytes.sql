-- Each sender's waiting message bytes, kept by triggers, so that the quota check before every
-- send (storedBytes) reads one row instead of summing the sender's messages (the PostgreSQL
-- migration of the same name says why there). Here the sum came from the covering index
-- messages_by_sender, but still one entry per waiting message: 62 us for a sender with 800
-- messages waiting, against 3 us for the row (Python's sqlite3, in memory), and growing with
-- the backlog.
--
-- Row-level triggers: SQLite lets one writer in at a time, so no order of locks matters.
-- messages.sender and messages.size never change after the insert (the relay has no such UPDATE).
-- messages_by_sender (V7) stays: it finds a sender's messages when its account is deleted.

CREATE TABLE message_bytes (
    sender TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (name) ON DELETE CASCADE,
    bytes  INTEGER NOT NULL  -- SUM(size) of the sender's rows in messages
) STRICT;

INSERT INTO message_bytes (sender, bytes) SELECT sender, SUM(size) FROM messages GROUP BY sender;

CREATE TRIGGER messages_added AFTER INSERT ON messages
BEGIN
    INSERT INTO message_bytes (sender, bytes) VALUES (NEW.sender, NEW.size)
    ON CONFLICT (sender) DO UPDATE SET bytes = bytes + excluded.bytes;
END;

CREATE TRIGGER messages_removed AFTER DELETE ON messages
BEGIN
    UPDATE message_bytes SET bytes = bytes - OLD.size WHERE sender = OLD.sender;
END;
