-- sealpost relay metadata, PostgreSQL dialect: the same tables, columns and meaning as
-- db/migration/sqlite (keep the two in step). Instants are milliseconds since the epoch (UTC).

CREATE TABLE accounts (
    name          TEXT   NOT NULL PRIMARY KEY,
    password_hash TEXT   NOT NULL,            -- PHC string, $argon2id$v=19$...
    created_at    BIGINT NOT NULL
);

CREATE TABLE key_bundles (
    name                    TEXT   NOT NULL PRIMARY KEY REFERENCES accounts (name) ON DELETE CASCADE,
    signing_certificate     TEXT   NOT NULL,  -- PEM
    encryption_certificate  TEXT   NOT NULL,  -- PEM
    updated_at              BIGINT NOT NULL
);

CREATE TABLE tokens (
    token_hash TEXT   NOT NULL PRIMARY KEY,   -- hex SHA-256 of the bearer token; the token itself is never stored
    account    TEXT   NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

CREATE TABLE messages (
    seq        BIGSERIAL NOT NULL PRIMARY KEY,  -- acceptance order (oldest first)
    id         TEXT      NOT NULL UNIQUE,       -- public id, also the blob key
    sender     TEXT      NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    size       BIGINT    NOT NULL,
    sent_at    BIGINT    NOT NULL,
    expires_at BIGINT    NOT NULL,
    pending    INTEGER   NOT NULL                -- recipients that have not acknowledged yet
);
CREATE INDEX messages_by_expiry ON messages (expires_at);

CREATE TABLE deliveries (
    recipient  TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (recipient, message_id)
);
CREATE INDEX deliveries_by_message ON deliveries (message_id);
