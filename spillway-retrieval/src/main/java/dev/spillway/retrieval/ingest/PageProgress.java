package dev.spillway.retrieval.ingest;

/**
 * Where an ingestion run stands, in pages (a PDF page, or one per file without pages): {@code done}
 * of {@code total}, of which {@code skipped} were unchanged since the last run and cost nothing;
 * {@code item} is the file being worked on. Immutable.
 */
public record PageProgress(long done, long total, long skipped, String item) {
    public PageProgress {
        if (done < 0 || skipped < 0 || skipped > done || done > total) {
            throw new IllegalArgumentException("need 0 <= skipped <= done <= total, was " + skipped + "/" + done + "/" + total);
        }
    }
}
