-- Resumable uploads (tus 1.0.0) that become the blobs of a message. SQLite dialect; keep a
-- PostgreSQL version in step once that store exists. Instants are milliseconds since the epoch.
-- The bytes live in dataDir/uploads/<id>; a row without a file is never created (the file is
-- created on the first PATCH), a file without a row is removed at startup.

CREATE TABLE uploads (
    id             TEXT    NOT NULL PRIMARY KEY,   -- public upload id, also the file name; later the blob id
    owner          TEXT    NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    total_length   INTEGER NOT NULL,               -- Upload-Length, bytes
    durable_offset INTEGER NOT NULL DEFAULT 0,     -- bytes forced to disk and recorded (Upload-Offset)
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,               -- deleted then unless attached to a message
    completed_at   INTEGER,                        -- set when durable_offset reached total_length
    message_id     TEXT    REFERENCES messages (id) ON DELETE CASCADE, -- set once attached; lives and dies with it
    CHECK (durable_offset >= 0 AND durable_offset <= total_length)
) STRICT;
CREATE INDEX uploads_by_owner ON uploads (owner, durable_offset, total_length);
CREATE INDEX uploads_by_expiry ON uploads (expires_at);
CREATE INDEX uploads_by_message ON uploads (message_id);
