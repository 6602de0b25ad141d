package dev.spillway.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
        MutableClock clock = new MutableClock();
        TerminalProgress p = new TerminalProgress(out, false, clock);
        p.pages(new PageProgress(0, 400, 0, ""));
        clock.advance(Duration.ofSeconds(10));
        p.pages(new PageProgress(100, 400, 60, "handbook.pdf"));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("indexing 0/400 pages ",
                "indexing 100/400 pages, 4.0 pages/s, 1 min 15 s left handbook.pdf");
    }

    @Test
    void skippedPagesCountAsDoneButNotTowardsTheRate() {
        MutableClock clock = new MutableClock();
        PageRate rate = new PageRate(clock);
        rate.update(new PageProgress(0, 100, 0, ""));
        assertThat(rate.eta()).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        rate.update(new PageProgress(60, 100, 50, "b.pdf"));
        assertThat(rate.pagesPerSecond()).isEqualTo(2.0);
        assertThat(rate.eta()).contains(Duration.ofSeconds(20));
    }

    /** A clock that moves only when told. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
