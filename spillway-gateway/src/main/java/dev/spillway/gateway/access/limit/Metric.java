package dev.spillway.gateway.access.limit;

/** What a limit counts. Money is counted in micro-dollars so that counters stay whole numbers. */
public enum Metric {
    REQUESTS, TOKENS, MICRO_USD
}
