-- Chat history. Portable SQL: the same file runs on SQLite and PostgreSQL.
CREATE TABLE chat_conversation (
    id         VARCHAR(64)  PRIMARY KEY,
    user_id    VARCHAR(512) NOT NULL,
    title      VARCHAR(200) NOT NULL,
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL
);
CREATE INDEX chat_conversation_user ON chat_conversation (user_id, updated_at);

CREATE TABLE chat_message (
    conversation_id VARCHAR(64) NOT NULL,
    seq             INTEGER     NOT NULL,
    role            VARCHAR(16) NOT NULL,
    content         TEXT        NOT NULL,
    details         TEXT        NOT NULL,
    created_at      BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
