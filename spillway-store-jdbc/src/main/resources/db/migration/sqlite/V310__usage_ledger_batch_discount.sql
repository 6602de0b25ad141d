-- What a price's batch-discount-percent took off a batch line's cost, in nano-USD (cost_nanos is
-- already after it): the chargeback report shows it per group.
ALTER TABLE usage_ledger ADD COLUMN batch_discount_nanos BIGINT NOT NULL DEFAULT 0;
