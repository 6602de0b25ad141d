package dev.spillway.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
