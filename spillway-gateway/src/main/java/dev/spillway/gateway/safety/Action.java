package dev.spillway.gateway.safety;

/**
 * What a check does when it fires: {@code block} the request or answer, {@code redact} the match,
 * {@code annotate} the response's filter results, or only {@code log} it (metrics and audit).
 */
public enum Action {
    BLOCK, REDACT, ANNOTATE, LOG;

    /** Whether the client's response shows the finding (its filter results or its error). */
    boolean visible() {
        return this != LOG;
    }
}
