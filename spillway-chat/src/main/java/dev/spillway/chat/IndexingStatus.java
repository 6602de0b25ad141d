package dev.spillway.chat;

import java.time.Duration;
import java.util.Optional;

/**
 * Progress of the indexing run the chat app is waiting for: pages done of the pages found, the
 * recent rate and the time left at that rate. {@code ready} once the index can answer. Immutable.
 */
public record IndexingStatus(boolean ready, long pagesDone, long pagesTotal, double pagesPerSecond,
                             Optional<Duration> eta) {
    public static final IndexingStatus READY = new IndexingStatus(true, 0, 0, 0, Optional.empty());

    public IndexingStatus {
        if (pagesDone < 0 || pagesTotal < 0) {
            throw new IllegalArgumentException("pages must be >= 0, were " + pagesDone + "/" + pagesTotal);
        }
    }

    /** Whole percent done, 0-100; 0 while the pages are still being counted. */
    public int percent() {
        if (ready) return 100;
        return pagesTotal == 0 ? 0 : (int) Math.min(99, 100 * pagesDone / pagesTotal);
    }
}
