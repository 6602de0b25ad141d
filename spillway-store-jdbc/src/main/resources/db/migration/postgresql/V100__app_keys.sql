-- App keys (issue 4). Only the SHA-256 of a secret is stored; times are epoch milliseconds.
-- Versions 100 and up belong to the access tables; the usage ledger uses 1-99.
CREATE TABLE app_keys (
    id             VARCHAR(40)  NOT NULL PRIMARY KEY,
    secret_hash    CHAR(64)     NOT NULL UNIQUE,
    display_prefix VARCHAR(20)  NOT NULL,
    name           VARCHAR(200) NOT NULL,
    app            VARCHAR(200) NOT NULL,
    team           VARCHAR(200),
    owner          VARCHAR(200),
    deployments    TEXT         NOT NULL,
    limits         TEXT         NOT NULL,
    created_at     BIGINT       NOT NULL,
    expires_at     BIGINT,
    revoked_at     BIGINT
);
CREATE INDEX app_keys_created ON app_keys (created_at);
