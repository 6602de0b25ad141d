package dev.spillway.gateway.audit;

import java.time.Instant;
import java.util.List;

/**
 * Port: a place outside the audit directory that keeps copies of the chain's head: the ledger
 * database ({@code JdbcUsageStore}) and the optional {@code audit.anchor-file}
 * ({@link FileHeadAnchors}). Append-only, apart from retention. Blocking: call from worker threads. Thread-safe.
 */
public interface HeadAnchors {
    void anchor(AnchoredHead head) throws Exception;

    /** Every head anchored so far, oldest first. */
    List<AnchoredHead> heads() throws Exception;

    /**
     * Drops heads anchored before {@code cutoff} (their records are past retention); called by the
     * hourly retention pass. A place the gateway must not rewrite (an append-only file) keeps them.
     */
    void forgetBefore(Instant cutoff) throws Exception;

    /** Where the anchors are, for messages. */
    String describe();
}
