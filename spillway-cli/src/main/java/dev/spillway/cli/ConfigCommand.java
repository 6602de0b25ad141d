package dev.spillway.cli;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.SecretCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spillway config check FILE}: validates a config file without starting anything. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with configuration files.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate FILE: prints every problem as 'path: message' and exits 2 if there is any.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:the file is valid", "2:the file has problems"})
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the YAML config file")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ConfigNode root = ConfigLoader.read(file, System.getenv());
                // The chat section is judged as 'spillway chat' judges it; problems join the others.
                if (root.child("chat").isPresent()) ChatCommand.Section.read(root);
                SpillwayConfig config = SpillwayConfig.from(root);
                List<String> unresolved = config.gateway().map(SecretCheck::unresolved).orElse(List.of());
                if (!unresolved.isEmpty()) {
                    unresolved.forEach(err::println);
                    return 2;
                }
                out.println(file + ": ok" + config.gateway().map(g -> " (gateway: " + g.backends().size()
                        + " backends, " + g.deployments().size() + " deployments, " + g.keys().size() + " keys)").orElse(""));
                return 0;
            } catch (ConfigException e) {
                e.problems().forEach(err::println);
                err.println(file + ": " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
                return 2;
            }
        }
    }
}
