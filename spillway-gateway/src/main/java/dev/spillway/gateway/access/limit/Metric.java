package dev.spillway.gateway.access.limit;

/** What a limit counts. Money is counted in micro-dollars so that counters stay whole numbers. */
public enum Metric {
    REQUESTS, TOKENS, MICRO_USD;

    private final String word = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name counters carry ({@code micro_usd}); made once, not per request. */
    public String word() {
        return word;
    }
}
