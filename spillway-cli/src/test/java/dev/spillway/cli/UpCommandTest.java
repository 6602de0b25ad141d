package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import dev.spillway.core.tls.LocalCa;
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

    @Test
    void bannerListsEveryServiceWithItsUrlInOneColumn() throws Exception {
        StringWriter banner = new StringWriter();
        Path adminKey = tmp.resolve("admin.key");
        UpCommand.printWelcome(new PrintWriter(banner), "https://127.0.0.1:8080", "http://127.0.0.1:8081", "sk-spw-demo-x",
                "  chat app   https://127.0.0.1:8090/\n", tmp.resolve("spillway.log"),
                LocalCa.ensure(tmp.resolve("tls"), Clock.systemUTC()), true, adminKey);
        assertThat(banner.toString()).contains(
                "  gateway    https://127.0.0.1:8080 ",
                "  chat app   https://127.0.0.1:8090/",
                "  cache      demo-app: exact and semantic answers kept 10 min (temperature 0; x-spillway-cache: hit, semantic-hit or miss)",
                "  console    https://127.0.0.1:8080/ui/   (the operator's console; sign in with the admin key in " + adminKey,
                "  portal     https://127.0.0.1:8080/portal/ ",
                "OpenAPI 3.1 at https://127.0.0.1:8080/openapi.json");
    }
}
