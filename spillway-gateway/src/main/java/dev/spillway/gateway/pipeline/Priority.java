package dev.spillway.gateway.pipeline;

import java.util.Locale;

/**
 * A request's priority class: interactive calls first, then low-priority calls that may wait for
 * provisioned (PTU) headroom, then queued batch lines. The ledger records it on every row.
 */
public enum Priority {
    INTERACTIVE, LOW, BATCH;

    /** The name in the ledger, metrics and headers ({@code low}). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
