package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulatorCommandTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cli = SpillwayCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void configProblemsArePrintedWithTheirPathsAndExit2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim.yaml");
        Files.writeString(file, """
                simulator:
                  deployments:
                    - { name: a, model: gpt-4o, kind: spot, tokens-per-minute: 1000 }
                    - { name: b, model: gpt-4o, kind: ptu }
                """);
        assertThat(run("simulator", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "simulator.deployments[0].kind: must be one of [ptu, pay-as-you-go], was 'spot'",
                "simulator.deployments[1].capacity-tokens-per-second: must be > 0, was 0");
    }

    @Test
    void missingFileExits2NamingIt(@TempDir Path dir) {
        assertThat(run("simulator", "--config", dir.resolve("none.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("none.yaml: no such file");
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("simulator", "--help")).isZero();
        assertThat(out.toString()).contains("--config", "--port", "--host");
    }
}
