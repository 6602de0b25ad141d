package dev.spillway.retrieval.ingest;

/**
 * Told how a long job is going: {@code done} of {@code total} items of a stage, the current item
 * named by {@code item}. Called from the job's thread; implementations need not be thread-safe.
 */
public interface ProgressListener {
    ProgressListener NONE = (stage, done, total, item) -> { };

    void progress(String stage, int done, int total, String item);

    /** Ingestion counts pages; a listener without its own view sees them as stage {@code indexing}. */
    default void pages(PageProgress p) {
        progress("indexing", (int) Math.min(Integer.MAX_VALUE, p.done()), (int) Math.min(Integer.MAX_VALUE, p.total()), p.item());
    }

    /** The job ended; a terminal listener finishes its line. */
    default void finished() {
    }
}
