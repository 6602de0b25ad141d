-- Heads of the audit hash chain, copied here every audit.anchor-interval (issue 10 item 6):
-- `spillway audit verify` detects a cut tail or a recomputed chain against them.
CREATE TABLE audit_anchors (
    anchored_at_ms BIGINT NOT NULL,
    seq            BIGINT NOT NULL,
    hash           TEXT   NOT NULL
);
CREATE INDEX audit_anchors_seq ON audit_anchors (seq);
