CREATE TABLE batch_files (
    id             TEXT    NOT NULL PRIMARY KEY,
    app            TEXT    NOT NULL,
    purpose        TEXT    NOT NULL,
    filename       TEXT    NOT NULL,
    bytes          BIGINT  NOT NULL,
    created_at_ms  BIGINT  NOT NULL,
    batch_id       TEXT,
    content        BLOB
);
CREATE INDEX batch_files_app ON batch_files (app, created_at_ms);

CREATE TABLE batches (
    id             TEXT    NOT NULL PRIMARY KEY,
    app            TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    created_at_ms  BIGINT  NOT NULL,
    doc            TEXT    NOT NULL
);
CREATE INDEX batches_app ON batches (app, created_at_ms);
CREATE INDEX batches_status ON batches (status);

CREATE TABLE batch_lines (
    batch_id        TEXT    NOT NULL,
    line_no         INTEGER NOT NULL,
    app             TEXT    NOT NULL,
    deployment      TEXT    NOT NULL,
    custom_id       TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    lease_token     TEXT,
    lease_until_ms  BIGINT  NOT NULL,
    due_at_ms       BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL,
    enqueued_at_ms  BIGINT  NOT NULL,
    expires_at_ms   BIGINT  NOT NULL,
    ended_at_ms     BIGINT,
    output          TEXT,
    PRIMARY KEY (batch_id, line_no)
);
CREATE INDEX batch_lines_ready ON batch_lines (state, app, due_at_ms);
