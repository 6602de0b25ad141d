package dev.spillway.gateway.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * The audit chain's durable head (seq and hash of its newest record) as copied, at {@code at}, to a
 * place outside the audit directory ({@link HeadAnchors}). {@code audit verify} checks the chain
 * still holds that record with that hash: a cut tail or a chain rewritten from an earlier record
 * no longer does. Immutable value.
 */
public record AnchoredHead(long seq, String hash, Instant at) {
    public AnchoredHead {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(at, "at");
        if (seq < 0) throw new IllegalArgumentException("seq must be >= 0, was " + seq);
    }
}
