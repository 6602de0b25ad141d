package dev.spillway.gateway.batch;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A file of the Files API: an upload (purpose {@code batch}), or a batch's output or error file,
 * whose content is made from the batch's ended lines when read. Owned by one app. Immutable.
 */
public record StoredFile(String id, String app, String purpose, String filename, long bytes, Instant createdAt,
        Optional<String> batchId) {
    public static final String BATCH = "batch";
    public static final String BATCH_OUTPUT = "batch_output";

    public StoredFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(batchId, "batchId");
        if (bytes < 0) throw new IllegalArgumentException("bytes: must be >= 0, was " + bytes);
    }
}
