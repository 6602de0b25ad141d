-- The semantic cache's questions, shared by every gateway replica (PostgresSemanticStore): one row
-- per question, and a change log each replica follows into its own vector index.
CREATE TABLE semantic_cache_entries (
    id           TEXT PRIMARY KEY,  -- partition id / request digest
    app          TEXT NOT NULL,
    partition_id TEXT NOT NULL,
    request      TEXT NOT NULL,
    deployment   TEXT NOT NULL,
    context      TEXT NOT NULL,
    model        TEXT NOT NULL,
    vector       BYTEA NOT NULL,    -- little-endian float32, unit length
    expires_at   BIGINT NOT NULL,   -- epoch milliseconds
    added        BIGINT NOT NULL    -- seq of its add in the log: the older of two equal expiries goes first
);
CREATE INDEX semantic_cache_entries_expiry ON semantic_cache_entries (expires_at);
CREATE INDEX semantic_cache_entries_app ON semantic_cache_entries (app, partition_id);

-- Written only under the store's advisory lock, so seq order is commit order: a follower that has
-- seen seq n has seen every change before it. Trimmed to about the last 10,000 changes.
CREATE TABLE semantic_cache_log (
    seq          BIGSERIAL PRIMARY KEY,
    op           TEXT NOT NULL,     -- add | del | purge
    entry_id     TEXT,              -- add, del
    app          TEXT,              -- purge
    partition_id TEXT               -- purge of one partition
);
