package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The overhead harness is Python (standard library only, so it runs where the load runs); its own
 * unit tests check the argument parsing, the readings' parsing and the summary's arithmetic that
 * docs/benchmarks.md quotes. They start no servers; this runs them with the suite.
 */
class HarnessScriptsTest {
    static final Path HARNESS = Path.of("../benchmarks/overhead");

    @Test
    void theOverheadHarnessPassesItsOwnTests() throws Exception {
        Requirements.require(Requirements.commandWorks("python3", "--version"), "python3 is not installed (apt-get install python3)");
        Process python = new ProcessBuilder("python3", "-m", "unittest", "test_overhead.py", "test_counts.py")
                .directory(HARNESS.toFile()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("Ran [1-9][0-9]* tests").contains("OK");
    }
}
