package dev.spillway.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void onATerminalOneLineIsRedrawn() {
        TerminalProgress p = new TerminalProgress(out, true);
        p.progress("ingesting", 0, 2, "a.pdf");
        p.progress("ingesting", 1, 2, "b.md");
        p.finished();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertThat(s).startsWith("\ringesting [                        ] 0/2 a.pdf")
                .contains("\ringesting [############            ] 1/2 b.md").endsWith(System.lineSeparator());
        assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void otherwisePlainLinesAreWrittenEveryTenthOfALongJob() {
        TerminalProgress p = new TerminalProgress(out, false);
        for (int i = 0; i <= 1000; i++) p.progress("embedding", i, 1000, "doc" + i);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(11)
                .first().isEqualTo("embedding 0/1000 doc0");
    }

    @Test
    void ingestionShowsPagesPagesPerSecondAndTheTimeLeft() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));
        TerminalProgress p = new TerminalProgress(out, false, now::get);
        p.pages(new PageProgress(0, 400, 0, ""));
        now.set(now.get().plusSeconds(10));
        p.pages(new PageProgress(100, 400, 60, "handbook.pdf"));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("indexing 0/400 pages ",
                "indexing 100/400 pages, 4.0 pages/s, 1 min 15 s left handbook.pdf");
    }

    @Test
    void skippedPagesCountAsDoneButNotTowardsTheRate() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));
        PageRate rate = new PageRate(now::get);
        rate.update(new PageProgress(0, 100, 0, ""));
        assertThat(rate.eta()).isEmpty();
        now.set(now.get().plusSeconds(5));
        rate.update(new PageProgress(60, 100, 50, "b.pdf"));
        assertThat(rate.pagesPerSecond()).isEqualTo(2.0);
        assertThat(rate.eta()).contains(Duration.ofSeconds(20));
    }

    @Test
    void aLogGetsNoRepeatedLines() {
        TerminalProgress p = new TerminalProgress(out, false);
        p.pages(new PageProgress(0, 2, 0, "a.md"));
        p.pages(new PageProgress(0, 2, 0, "a.md"));
        p.pages(new PageProgress(1, 2, 0, "a.md"));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("indexing 0/2 pages a.md",
                "indexing 1/2 pages a.md");
    }
}
