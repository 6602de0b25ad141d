-- Per-minute rollups behind the console's charts (issue 16): written once a minute by each
-- gateway, adding to the row of the minute (replicas share rows), expired after rollup-retention.
CREATE TABLE usage_minutes (
    minute_ms         BIGINT  NOT NULL,
    app               TEXT    NOT NULL,
    key_prefix        TEXT    NOT NULL,
    deployment        TEXT    NOT NULL,
    backend           TEXT    NOT NULL,
    requests          BIGINT  NOT NULL,
    prompt_tokens     BIGINT  NOT NULL,
    completion_tokens BIGINT  NOT NULL,
    cost_nanos        BIGINT  NOT NULL,
    rejected          BIGINT  NOT NULL,
    PRIMARY KEY (minute_ms, app, key_prefix, deployment, backend)
);
CREATE TABLE backend_minutes (
    minute_ms           BIGINT  NOT NULL,
    backend             TEXT    NOT NULL,
    sent                BIGINT  NOT NULL,
    throttled           BIGINT  NOT NULL,
    utilization_sum     REAL NOT NULL,
    utilization_samples BIGINT  NOT NULL,
    PRIMARY KEY (minute_ms, backend)
);
