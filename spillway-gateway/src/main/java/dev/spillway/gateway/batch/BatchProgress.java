package dev.spillway.gateway.batch;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves each unfinished batch one step: {@code validating} reads the input file into the queue
 * (bad lines enter ended, as error lines) and starts; {@code in_progress} past its expiry ends its
 * waiting lines as expired; {@code cancelling} ends them as cancelled; once no line is open the
 * batch finalizes: its output and error files are recorded and it ends {@code completed},
 * {@code expired} or {@code cancelled}. Every step is idempotent and every status change a
 * compare-and-set, so a crash at any point, or two replicas at once, leave one consistent batch.
 * Blocking; runs on a worker thread. Thread-safe.
 */
final class BatchProgress {
    private static final Logger LOG = LoggerFactory.getLogger(BatchProgress.class);
    private final BatchStorage storage;
    private final Predicate<String> deployments;
    private final Clock clock;
    private final LaneStats stats;

    BatchProgress(BatchStorage storage, Predicate<String> deployments, Clock clock, LaneStats stats) {
        this.storage = storage;
        this.deployments = deployments;
        this.clock = clock;
        this.stats = stats;
    }

    /** Advances every unfinished batch and refreshes the queue's figures; returns the batches in progress, by id. */
    Map<String, BatchRecord> advanceAll() throws Exception {
        stats.queue(storage.queue().stats());
        for (BatchRecord b : storage.store().unfinished()) {
            try {
                advance(b);
            } catch (Exception e) {
                LOG.warn("batch {} could not advance from {}: {}", b.id(), b.status().wire(), e.toString());
            }
        }
        return running();
    }

    /** The batches in progress, by id, without advancing any. */
    Map<String, BatchRecord> running() throws Exception {
        Map<String, BatchRecord> out = new LinkedHashMap<>();
        for (BatchRecord b : storage.store().unfinished()) if (b.status() == BatchStatus.IN_PROGRESS) out.put(b.id(), b);
        return out;
    }

    void advance(BatchRecord b) throws Exception {
        Instant now = clock.instant();
        switch (b.status()) {
            case VALIDATING -> validate(b, now);
            case IN_PROGRESS -> {
                boolean expired = !now.isBefore(b.expiresAt());
                if (expired) storage.queue().endWaiting(b.id(), LineState.EXPIRED, now);
                if (storage.queue().counts(b.id()).open() == 0) {
                    if (expired) finish(b, BatchStatus.EXPIRED, now);
                    else finalizing(b, now);
                }
            }
            case CANCELLING -> {
                storage.queue().endWaiting(b.id(), LineState.CANCELLED, now);
                if (storage.queue().counts(b.id()).open() == 0) finish(b, BatchStatus.CANCELLED, now);
            }
            case FINALIZING -> finish(b, BatchStatus.COMPLETED, now);
            default -> {
                // terminal: nothing to do
            }
        }
    }

    private void validate(BatchRecord b, Instant now) throws Exception {
        Optional<byte[]> content = storage.store().content(b.inputFileId());
        List<QueuedLine> lines = content.map(c -> BatchLines.parse(b, c, deployments, now)).orElse(List.of());
        if (lines.isEmpty()) {
            String why = content.isEmpty() ? "The input file " + b.inputFileId() + " no longer exists."
                    : "The input file has no requests.";
            storage.store().transition(BatchStatus.VALIDATING, b.withErrors(List.of(new BatchRecord.BatchError(
                    content.isEmpty() ? "file_not_found" : "empty_file", why, Optional.empty())))
                    .moved(BatchStatus.FAILED, now).finalized(Optional.empty(), Optional.empty(),
                            new BatchRecord.RequestCounts(0, 0, 0)));
            return;
        }
        storage.queue().enqueue(lines);
        storage.store().transition(BatchStatus.VALIDATING, b.moved(BatchStatus.IN_PROGRESS, now));
    }

    private void finalizing(BatchRecord b, Instant now) throws Exception {
        BatchRecord next = b.moved(BatchStatus.FINALIZING, now);
        if (storage.store().transition(BatchStatus.IN_PROGRESS, next)) finish(next, BatchStatus.COMPLETED, now);
    }

    /** Records the output and error files and moves the batch to {@code end}. */
    private void finish(BatchRecord b, BatchStatus end, Instant now) throws Exception {
        List<EndedLine> ended = storage.queue().ended(b.id());
        LineCounts counts = storage.queue().counts(b.id());
        Optional<String> output = file(b, ended, false, now);
        Optional<String> errors = file(b, ended, true, now);
        storage.store().transition(b.status(), b.moved(end, now).finalized(output, errors,
                BatchRecord.RequestCounts.of(counts)));
    }

    private Optional<String> file(BatchRecord b, List<EndedLine> ended, boolean errors, Instant now) throws Exception {
        long bytes = BatchLines.file(b.id(), ended, errors).length;
        if (bytes == 0) return Optional.empty();
        String suffix = b.id().substring(b.id().indexOf('_') + 1);
        String id = "file-" + suffix + (errors ? "-errors" : "-output");
        storage.store().insertFile(new StoredFile(id, b.owner().app(), StoredFile.BATCH_OUTPUT,
                b.id() + (errors ? "_error.jsonl" : "_output.jsonl"), bytes, now, Optional.of(b.id())), new byte[0]);
        return Optional.of(id);
    }
}
