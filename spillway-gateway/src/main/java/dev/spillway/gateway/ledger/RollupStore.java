package dev.spillway.gateway.ledger;

import java.time.Instant;
import java.util.List;

/**
 * Port: the per-minute rollups behind the console's charts, kept in the gateway's database beside
 * the ledger. {@link #add} adds to what a minute holds (several replicas flush into the same rows);
 * the reads group by bucket start and backend, or by key. Blocking: worker threads only.
 * Implementations are thread-safe.
 */
public interface RollupStore {
    /** Adds each row's counts to its stored minute, in one transaction. */
    void add(List<UsageMinute> usage, List<BackendMinute> backends) throws Exception;

    /** Usage in {@code [from, to)} summed per {@code step}-long bucket and backend (other keys blank). */
    List<UsageMinute> usage(Instant from, Instant to, long stepMillis) throws Exception;

    /** Backend samples in {@code [from, to)} summed per {@code step}-long bucket and backend. */
    List<BackendMinute> backends(Instant from, Instant to, long stepMillis) throws Exception;

    /** Usage in {@code [from, to)} summed per key prefix (minute 0, other keys blank). */
    List<UsageMinute> byKey(Instant from, Instant to) throws Exception;

    /** Removes minutes before {@code cutoff}; returns how many rows went. */
    int expire(Instant cutoff) throws Exception;

    /**
     * One minute of one app key's traffic to one deployment and backend ({@code backend} blank for a
     * request the gateway refused itself); {@code rejected} counts the 429s the gateway gave.
     */
    record UsageMinute(long minuteMs, String app, String keyPrefix, String deployment, String backend,
            long requests, long promptTokens, long completionTokens, long costNanos, long rejected) {
        public long tokens() {
            return promptTokens + completionTokens;
        }
    }

    /**
     * One minute of one backend as sampled: requests sent and 429s received (deltas of its
     * counters), and the sum and count of its PTU utilization readings.
     */
    record BackendMinute(long minuteMs, String backend, long sent, long throttled, double utilizationSum,
            long utilizationSamples) {
    }
}
