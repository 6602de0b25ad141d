package dev.spillway.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainFilesTest {
    @TempDir
    Path dir;

    @Test
    void lastLineSkipsATornTailAndEmptyLines() throws Exception {
        Path segment = segment("{\"seq\":1}\n{\"seq\":2}\n\n{\"seq\":3}\n\n{\"seq\":4, torn");
        assertThat(ChainFiles.lastLine(segment)).contains("{\"seq\":3}");
        assertThat(ChainFiles.lastLine(segment)).contains(ChainFiles.read(segment).lines().getLast());
    }

    @Test
    void lastLineLongerThanWhatOneReadTakesIsWhole() throws Exception {
        String longLine = "x".repeat(20_000);
        assertThat(ChainFiles.lastLine(segment("first\n" + longLine + "\n"))).contains(longLine);
        assertThat(ChainFiles.lastLine(segment(longLine + "\n" + "y".repeat(9_000)))).contains(longLine);
    }

    @Test
    void segmentWithoutACompleteLineHasNone() throws Exception {
        assertThat(ChainFiles.lastLine(segment(""))).isEmpty();
        assertThat(ChainFiles.lastLine(segment("\n\n"))).isEmpty();
        assertThat(ChainFiles.lastLine(segment("torn"))).isEqualTo(Optional.empty());
    }

    private Path segment(String text) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "audit-", ".log"), text);
    }
}
