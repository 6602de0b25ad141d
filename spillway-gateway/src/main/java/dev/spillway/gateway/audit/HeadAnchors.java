package dev.spillway.gateway.audit;

import java.util.List;

/**
 * Port: a place outside the audit directory that keeps copies of the chain's head: the ledger
 * database ({@code JdbcUsageStore}) and the optional {@code audit.anchor-file}
 * ({@link FileHeadAnchors}). Append-only. Blocking: call from worker threads. Thread-safe.
 */
public interface HeadAnchors {
    void anchor(AnchoredHead head) throws Exception;

    /** Every head anchored so far, oldest first. */
    List<AnchoredHead> heads() throws Exception;

    /** Where the anchors are, for messages. */
    String describe();
}
