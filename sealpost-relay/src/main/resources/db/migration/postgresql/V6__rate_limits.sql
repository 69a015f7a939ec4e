-- Token buckets of the rate limits that hold across relay nodes (RateLimit.acrossNodes()):
-- one row per limit and subject, with the permits left at updated_at (ms since the epoch).
-- UNLOGGED: a take writes no WAL and waits for no flush; a crash of the database empties the
-- table, which fills every bucket, as restarting a one-node relay empties its in-memory buckets.
-- (V6, not V5: V5 is kept for the uploads migration of both dialects.)
CREATE UNLOGGED TABLE rate_limits (
    limit_name TEXT             NOT NULL,
    subject    TEXT             NOT NULL,
    permits    DOUBLE PRECISION NOT NULL,
    updated_at BIGINT           NOT NULL,
    PRIMARY KEY (limit_name, subject)
);
