-- Budget warnings (issue 16 item 3): one row per app, month, threshold and webhook, inserted once
-- when the spend reaches the threshold, then leased, posted and marked sent or failed. The row is
-- what makes a warning once-only across restarts and replicas.
CREATE TABLE budget_alerts (
    app                TEXT    NOT NULL,
    period             TEXT    NOT NULL,
    threshold_percent  INTEGER NOT NULL,
    webhook            TEXT    NOT NULL,
    spent_micro_usd    BIGINT  NOT NULL,
    budget_micro_usd   BIGINT  NOT NULL,
    raised_at_ms       BIGINT  NOT NULL,
    state              TEXT    NOT NULL,
    attempts           INTEGER NOT NULL,
    next_attempt_at_ms BIGINT  NOT NULL,
    sent_at_ms         BIGINT,
    last_error         TEXT,
    PRIMARY KEY (app, period, threshold_percent, webhook)
);
CREATE INDEX budget_alerts_due ON budget_alerts (state, next_attempt_at_ms);
