-- The request's priority class: interactive, low (waits for PTU headroom) or batch (queued lines).
ALTER TABLE usage_ledger ADD COLUMN priority TEXT NOT NULL DEFAULT 'interactive';
