-- Resumable uploads (tus 1.0.0), as db/migration/sqlite/V2__uploads.sql.

CREATE TABLE uploads (
    id             TEXT   NOT NULL PRIMARY KEY,
    owner          TEXT   NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    total_length   BIGINT NOT NULL,
    durable_offset BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    completed_at   BIGINT,
    message_id     TEXT   REFERENCES messages (id) ON DELETE CASCADE,
    CHECK (durable_offset >= 0 AND durable_offset <= total_length)
);
CREATE INDEX uploads_by_owner ON uploads (owner, durable_offset, total_length);
CREATE INDEX uploads_by_expiry ON uploads (expires_at);
CREATE INDEX uploads_by_message ON uploads (message_id);
