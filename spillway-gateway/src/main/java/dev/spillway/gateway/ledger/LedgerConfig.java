package dev.spillway.gateway.ledger;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code gateway.ledger}: the usage ledger's local spool and its drain to the database.
 * Immutable, validated on construction.
 *
 * @param enabled     {@code enabled}, default true
 * @param spoolDir    {@code spool-dir}, default {@code <data-dir>/ledger-spool}
 * @param spoolMaxSize {@code spool-max-size}, default 1 GiB: past it, records are refused (and logged)
 * @param segmentSize {@code segment-size}, default 16 MiB
 * @param maxQueued   {@code max-queued}, default 65536 records waiting for the writer
 * @param batchSize   {@code batch-size}, default 500 records per database transaction
 * @param retryMin    {@code retry-min}, default 200ms; doubles per failed drain up to {@code retry-max}
 * @param retryMax    {@code retry-max}, default 10s
 * @param fsync       {@code fsync}, default true: each group commit is fsync'd before it is acknowledged
 * @param commitInterval {@code commit-interval}, default 20ms: how long the spool writer gathers
 *                    records after the first one before it writes and fsyncs them as one group
 * @param durability  {@code durability}, default {@code strict}: a reply's last byte waits until its
 *                    record is in the spool (fsync'd when {@code fsync} is on); {@code relaxed} does not
 */
public record LedgerConfig(boolean enabled, Path spoolDir, DataSize spoolMaxSize, DataSize segmentSize,
        int maxQueued, int batchSize, Duration retryMin, Duration retryMax, boolean fsync,
        Duration commitInterval, Durability durability) {

    public LedgerConfig {
        Objects.requireNonNull(spoolDir, "spool-dir: is required");
        if (spoolMaxSize.bytes() < segmentSize.bytes()) {
            throw new IllegalArgumentException("spool-max-size: must be >= segment-size (" + segmentSize + "), was " + spoolMaxSize);
        }
        if (segmentSize.bytes() < 4096) throw new IllegalArgumentException("segment-size: must be >= 4KiB, was " + segmentSize);
        if (maxQueued < 1) throw new IllegalArgumentException("max-queued: must be > 0, was " + maxQueued);
        if (batchSize < 1) throw new IllegalArgumentException("batch-size: must be > 0, was " + batchSize);
        if (retryMin.isNegative() || retryMin.isZero()) throw new IllegalArgumentException("retry-min: must be > 0, was " + retryMin);
        if (retryMax.compareTo(retryMin) < 0) throw new IllegalArgumentException("retry-max: must be >= retry-min, was " + retryMax);
        checkCommitInterval(commitInterval);
        Objects.requireNonNull(durability, "durability: is required");
    }

    /** Long enough that a busy gateway fsyncs its spool about 50 times a second, not once per request. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(20);

    /** Shared with the audit log's writer: 0 (commit at once) to 1s. */
    public static void checkCommitInterval(Duration interval) {
        if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("commit-interval: must be between 0 and 1s, was " + interval);
        }
    }

    public static LedgerConfig defaults(Path dataDir) {
        return new LedgerConfig(true, dataDir.resolve("ledger-spool"), DataSize.ofMebibytes(1024),
                DataSize.ofMebibytes(16), 65_536, 500, Duration.ofMillis(200), Duration.ofSeconds(10), true,
                DEFAULT_COMMIT_INTERVAL, Durability.RELAXED);
    }

    /** Reads {@code gateway.ledger}; relative paths resolve against the data dir. */
    public static LedgerConfig from(ConfigNode node, Path dataDir) {
        node.allowOnly("enabled", "spool-dir", "spool-max-size", "segment-size", "max-queued", "batch-size",
                "retry-min", "retry-max", "fsync", "commit-interval", "durability");
        LedgerConfig d = defaults(dataDir);
        boolean enabled = node.bool("enabled", d.enabled());
        Path spool = dataDir.resolve(node.string("spool-dir", "ledger-spool"));
        DataSize max = node.size("spool-max-size", d.spoolMaxSize());
        DataSize segment = node.size("segment-size", d.segmentSize());
        int queued = node.integer("max-queued", d.maxQueued());
        int batch = node.integer("batch-size", d.batchSize());
        Duration min = node.duration("retry-min", d.retryMin());
        Duration maxRetry = node.duration("retry-max", d.retryMax());
        boolean fsync = node.bool("fsync", d.fsync());
        Duration interval = node.duration("commit-interval", d.commitInterval());
        Durability durability = node.choice("durability", Durability.class, d.durability());
        LedgerConfig built = node.build(() -> new LedgerConfig(enabled, spool, max, segment, queued, batch, min, maxRetry,
                fsync, interval, durability));
        return built == null ? d : built;
    }
}
