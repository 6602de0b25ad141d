-- The safety checks that acted on the request, each once, as space-separated check:action words
-- (e.g. 'injection:block', 'pii:redact secrets:redact'); never what they matched. '' when none.
ALTER TABLE usage_ledger ADD COLUMN safety TEXT NOT NULL DEFAULT '';
