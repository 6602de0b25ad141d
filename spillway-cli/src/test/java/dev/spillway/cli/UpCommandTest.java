package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UpCommandTest {
    @TempDir
    Path tmp;

    @Test
    void givenPathsAreIndexedWithoutTheProjectDocs() {
        assertThat(UpCommand.documentRoots(List.of(Path.of("pdfs"), Path.of("notes.md")), false))
                .containsExactly(Path.of("pdfs"), Path.of("notes.md"));
    }

    @Test
    void projectDocsAreIndexedWhenNoPathIsGiven() {
        assertThat(UpCommand.documentRoots(List.of(), false)).containsExactly(Path.of("docs"));
    }

    @Test
    void projectDocsJoinTheGivenPathsWhenAskedFor() {
        assertThat(UpCommand.documentRoots(List.of(Path.of("pdfs"), Path.of("docs")), true))
                .containsExactly(Path.of("docs"), Path.of("pdfs"));
    }

    @Test
    void missingPathStopsUpBeforeAnythingStarts() {
        CommandLine cli = SpillwayCommand.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        Path missing = tmp.resolve("no-such-folder");
        int code = cli.execute("up", "--data-dir", tmp.resolve("data").toString(), missing.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("spillway up: no such file or folder: " + missing);
        assertThat(Files.exists(tmp.resolve("data"))).isFalse();
    }
}
