-- What "sealpost sessions" lists of each session: when it was last used, by which client, from where.
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;   -- null until first used after login; updated at most once a minute
ALTER TABLE tokens ADD COLUMN client       TEXT;      -- the User-Agent of the login, cut to 100 characters
ALTER TABLE tokens ADD COLUMN address      TEXT;      -- the client address of the login
CREATE INDEX tokens_by_account ON tokens (account);
