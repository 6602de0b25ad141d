package dev.spillway.retrieval.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Turns page progress into a rate and a time left: pages per second over the pages actually
 * worked on since the first report (unchanged, skipped pages are free and would flatter the rate),
 * and the remaining pages at that rate. No rate before one second has passed. Thread-safe: the
 * ingestion thread reports, anyone reads.
 */
public final class PageRate {
    private final InstantSource clock;
    private Instant start;
    private PageProgress last = new PageProgress(0, 0, 0, "");

    public PageRate(InstantSource clock) {
        this.clock = clock;
    }

    public synchronized void update(PageProgress p) {
        if (start == null) start = clock.instant();
        last = p;
    }

    public synchronized PageProgress last() {
        return last;
    }

    /** Pages worked on per second so far; 0 until a second has passed. */
    public synchronized double pagesPerSecond() {
        if (start == null) return 0;
        double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
        return seconds < 1 ? 0 : (last.done() - last.skipped()) / seconds;
    }

    /** The time left at the current rate; empty while there is no rate yet. */
    public synchronized Optional<Duration> eta() {
        double rate = pagesPerSecond();
        if (rate <= 0) return Optional.empty();
        return Optional.of(Duration.ofSeconds(Math.round((last.total() - last.done()) / rate)));
    }
}
