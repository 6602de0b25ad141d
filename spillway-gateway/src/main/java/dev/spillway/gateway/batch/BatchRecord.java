package dev.spillway.gateway.batch;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch of the Batches API: who owns it, what it runs ({@code endpoint}, input file), its
 * status with the time it entered each, its output and error files once finalized, the errors that
 * failed it as a whole, and its final request counts. Immutable; changes make a new record, stored
 * by {@link BatchStore#transition}.
 */
public record BatchRecord(String id, BatchOwner owner, String endpoint, String inputFileId, String completionWindow,
        String metadataJson, BatchStatus status, Instant createdAt, Instant expiresAt, Map<BatchStatus, Instant> times,
        Optional<String> outputFileId, Optional<String> errorFileId, List<BatchError> errors,
        Optional<RequestCounts> finalCounts) {

    /** An error about the batch as a whole (its input file), as OpenAI lists them in {@code errors}. */
    public record BatchError(String code, String message, Optional<Integer> line) {
    }

    /** OpenAI's {@code request_counts}. */
    public record RequestCounts(long total, long completed, long failed) {
        public static RequestCounts of(LineCounts c) {
            return new RequestCounts(c.total(), c.succeeded(), c.unanswered());
        }
    }

    public BatchRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(inputFileId, "inputFileId");
        Objects.requireNonNull(metadataJson, "metadataJson");
        Objects.requireNonNull(status, "status");
        times = times.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(times));
        errors = List.copyOf(errors);
    }

    /** This batch in {@code next} from {@code at}. */
    public BatchRecord moved(BatchStatus next, Instant at) {
        Map<BatchStatus, Instant> t = new EnumMap<>(BatchStatus.class);
        t.putAll(times);
        t.put(next, at);
        return new BatchRecord(id, owner, endpoint, inputFileId, completionWindow, metadataJson, next, createdAt,
                expiresAt, t, outputFileId, errorFileId, errors, finalCounts);
    }

    /** This batch with its output and error files and final counts. */
    public BatchRecord finalized(Optional<String> output, Optional<String> error, RequestCounts counts) {
        return new BatchRecord(id, owner, endpoint, inputFileId, completionWindow, metadataJson, status, createdAt,
                expiresAt, times, output, error, errors, Optional.of(counts));
    }

    /** This batch with errors about its input. */
    public BatchRecord withErrors(List<BatchError> found) {
        return new BatchRecord(id, owner, endpoint, inputFileId, completionWindow, metadataJson, status, createdAt,
                expiresAt, times, outputFileId, errorFileId, found, finalCounts);
    }
}
