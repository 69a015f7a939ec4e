-- A second factor per account, as db/migration/sqlite/V3__mfa.sql.

CREATE TABLE mfa (
    account    TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (name) ON DELETE CASCADE,
    secret     TEXT    NOT NULL,
    confirmed  INTEGER NOT NULL,
    last_step  BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE TABLE recovery_codes (
    account   TEXT   NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    code_hash TEXT   NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (account, code_hash)
);
