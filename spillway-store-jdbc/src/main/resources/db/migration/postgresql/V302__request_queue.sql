CREATE TABLE queue_requests (
    seq             BIGSERIAL PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    deployment      TEXT    NOT NULL,
    endpoint        TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    app             TEXT    NOT NULL,
    owner           TEXT    NOT NULL,
    reply_to        TEXT,
    correlation_id  TEXT,
    attempts        INTEGER NOT NULL,
    lease_token     TEXT,
    lease_until_ms  BIGINT  NOT NULL,
    enqueued_at_ms  BIGINT  NOT NULL
);
CREATE INDEX queue_requests_ready ON queue_requests (deployment, lease_until_ms, seq);

CREATE TABLE queue_replies (
    seq             BIGSERIAL PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    app             TEXT    NOT NULL,
    reply_to        TEXT    NOT NULL,
    correlation_id  TEXT,
    status          INTEGER NOT NULL,
    request_id      TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at_ms   BIGINT  NOT NULL
);
CREATE INDEX queue_replies_box ON queue_replies (app, reply_to, seq);
