package dev.spillway.gateway.ledger;

/**
 * Tokens charged for one request: as the backend reported them, or, when no usage arrived,
 * as Spillway counted them ({@code estimated}). Immutable value.
 */
public record MeteredUsage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens,
        boolean estimated) {}
