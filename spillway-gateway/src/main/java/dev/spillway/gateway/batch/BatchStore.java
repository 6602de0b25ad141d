package dev.spillway.gateway.batch;

import java.util.List;
import java.util.Optional;

/**
 * Port: the Files and Batches APIs' records, beside the {@link BatchQueue} that holds the lines.
 * A batch changes only by {@link #transition}, a compare-and-set on its status, so two replicas
 * advancing one batch do it once. Blocking: call from worker threads. Thread-safe.
 */
public interface BatchStore extends AutoCloseable {
    /**
     * Stores a file record with its content (empty for output and error files, made on read); an
     * id already stored is left as it is.
     */
    void insertFile(StoredFile file, byte[] content) throws Exception;

    Optional<StoredFile> file(String id) throws Exception;

    /** An uploaded file's content. */
    Optional<byte[]> content(String id) throws Exception;

    /** The app's files, newest first, after the file {@code after} when given. */
    List<StoredFile> files(String app, Optional<String> purpose, int limit, Optional<String> after) throws Exception;

    void insertBatch(BatchRecord batch) throws Exception;

    Optional<BatchRecord> batch(String id) throws Exception;

    /** The app's batches, newest first, after the batch {@code after} when given. */
    List<BatchRecord> batches(String app, int limit, Optional<String> after) throws Exception;

    /** The latest batches of every app, newest first (for operators). */
    List<BatchRecord> recent(int limit) throws Exception;

    /** Batches of every app that are not in a terminal status, oldest first. */
    List<BatchRecord> unfinished() throws Exception;

    /** Replaces the batch with {@code next} if its status is still {@code from}; false otherwise. */
    boolean transition(BatchStatus from, BatchRecord next) throws Exception;

    @Override
    void close();
}
