package dev.spillway.bench;

/** What a load run does with a 429: count it and move on, or wait and try the request again. */
public enum RetryMode {
    /** A 429 is counted as throttled and the request is not sent again. */
    NONE,
    /**
     * Wait {@code retry-after-ms} (else {@code retry-after} seconds, else 1 s doubling per attempt,
     * capped at 60 s) and send again while the run lasts; latency then includes the waits.
     */
    EXPONENTIAL
}
