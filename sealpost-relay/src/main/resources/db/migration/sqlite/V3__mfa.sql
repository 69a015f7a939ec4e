-- A second factor per account: TOTP (RFC 6238) and single-use recovery codes.

CREATE TABLE mfa (
    account    TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (name) ON DELETE CASCADE,
    secret     TEXT    NOT NULL,   -- base64 of nonce || AES-256-GCM ciphertext under the relay's secrets.key, AAD the account name
    confirmed  INTEGER NOT NULL,   -- 0 while enrolling, 1 once a code from the app confirmed it
    last_step  INTEGER NOT NULL,   -- newest time step accepted; a code of it or an older one is refused (RFC 6238 §5.2)
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE recovery_codes (
    account   TEXT    NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,    -- hex SHA-256 of the normalised code (80 random bits: no slow hash needed)
    used_at   INTEGER,             -- null until used, once
    PRIMARY KEY (account, code_hash)
) STRICT;
