-- Session details for "sealpost sessions", as db/migration/sqlite/V4__sessions.sql.
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
ALTER TABLE tokens ADD COLUMN client       TEXT;
ALTER TABLE tokens ADD COLUMN address      TEXT;
CREATE INDEX tokens_by_account ON tokens (account);
