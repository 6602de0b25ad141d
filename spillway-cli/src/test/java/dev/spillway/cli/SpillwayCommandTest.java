package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SpillwayCommandTest {
    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        CommandLine cli = SpillwayCommand.commandLine(new String[] {"gateway", "--config", "x.yaml"});
        assertThat(cli.getSubcommands()).containsOnlyKeys("gateway");
    }

    @Test
    void helpNoCommandAndTyposGetEverySubcommand() {
        int all = SpillwayCommand.commandLine().getSubcommands().size();
        assertThat(all).isGreaterThan(10);
        for (String[] args : new String[][] {{}, {"help", "gateway"}, {"--version"}, {"gatewya"}}) {
            assertThat(SpillwayCommand.commandLine(args).getSubcommands()).hasSize(all);
        }
    }

    @Test
    void subcommandHelpStillNamesTheParent() {
        StringWriter out = new StringWriter();
        int code = SpillwayCommand.commandLine(new String[] {"gateway", "--help"}).setOut(new PrintWriter(out))
                .execute("gateway", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: spillway gateway");
    }
}
