package dev.spillway.gateway.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage ledger as DESIGN section 4.6 asks: each record goes first to a local, fsync'd,
 * bounded spool ({@link GroupCommitLog}) and a drainer thread copies the spool to the database
 * through an idempotent {@link UsageSink}, in order, resuming from a checkpoint. When the
 * database is away the spool grows (up to its bound) and the drainer retries with backoff;
 * nothing is lost and, since the sink ignores known request ids, nothing is stored twice.
 * Thread-safe; one per gateway process, closed at shutdown.
 */
public final class SpoolUsageLedger implements UsageLedger, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolUsageLedger.class);

    /** Counters for metrics and tests. */
    public record Stats(long appended, long stored, long replayedDuplicates, long drainFailures,
            long spoolBytes, String lastError) {}

    private final GroupCommitLog<UsageRecord> log;
    private final SpoolDrainer drainer;
    private final AtomicLong appended = new AtomicLong();

    public SpoolUsageLedger(LedgerConfig config, UsageSink sink) {
        this.log = new GroupCommitLog<>(config.spoolDir(), "usage", config.segmentSize().bytes(),
                config.spoolMaxSize().bytes(), config.maxQueued(), config.fsync(), config.commitInterval(),
                UsageRecordCodec::encode);
        this.drainer = new SpoolDrainer(log, sink, config.batchSize(), config.retryMin(), config.retryMax());
    }

    @Override
    public CompletionStage<Void> append(UsageRecord record) {
        return log.append(record).whenComplete((ok, error) -> {
            if (error == null) {
                appended.incrementAndGet();
            } else {
                LOG.error("usage record {} NOT spooled: {}", record.requestId(), error.getMessage());
            }
        });
    }

    /** Waits until everything spooled so far is in the database; false if {@code timeout} passed. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return drainer.awaitCaughtUp(timeout);
    }

    public Stats stats() {
        return new Stats(appended.get(), drainer.stored(), drainer.duplicates(), drainer.failures(),
                log.diskBytes(), drainer.lastError());
    }

    public Path spoolDir() {
        return log.dir();
    }

    @Override
    public void close() {
        try {
            log.close();
            drainer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
