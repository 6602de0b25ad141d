package dev.spillway.cli;

import dev.spillway.chat.IndexingStatus;
import dev.spillway.retrieval.ingest.PageProgress;
import dev.spillway.retrieval.ingest.PageRate;
import dev.spillway.retrieval.ingest.ProgressListener;
import java.time.Clock;

/**
 * Watches a background ingestion run for the chat app: passes progress on to the terminal and
 * answers "how far is indexing" ({@link #status()}) for the UI's "indexing, N %" banner until
 * {@link #ready()} is called. Thread-safe: the ingestion thread reports, request threads read.
 */
final class IngestWatch implements ProgressListener {
    private final ProgressListener terminal;
    private final PageRate rate;
    private volatile boolean ready;

    IngestWatch(ProgressListener terminal, Clock clock) {
        this.terminal = terminal;
        this.rate = new PageRate(clock);
    }

    @Override
    public void progress(String stage, int done, int total, String item) {
        terminal.progress(stage, done, total, item);
    }

    @Override
    public void pages(PageProgress p) {
        rate.update(p);
        terminal.pages(p);
    }

    @Override
    public void finished() {
        terminal.finished();
    }

    /** The index is complete and visible to searches. */
    void ready() {
        ready = true;
    }

    IndexingStatus status() {
        if (ready) return IndexingStatus.READY;
        PageProgress p = rate.last();
        return new IndexingStatus(false, p.done(), p.total(), rate.pagesPerSecond(), rate.eta());
    }
}
