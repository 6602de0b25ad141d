-- What a cache hit saved: the price of its answer when a backend produced it (nano-USD).
ALTER TABLE usage_ledger ADD COLUMN saved_nanos BIGINT NOT NULL DEFAULT 0;
