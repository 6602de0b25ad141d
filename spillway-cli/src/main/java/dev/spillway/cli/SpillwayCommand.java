package dev.spillway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spillway} command: one subcommand per job; {@code --help} on each. */
@Command(name = "spillway",
        mixinStandardHelpOptions = true,
        versionProvider = SpillwayCommand.Version.class,
        description = "AI gateway, Azure OpenAI simulator and RAG chat app.",
        subcommands = {
            UpCommand.class,
            GatewayCommand.class,
            SimulatorCommand.class,
            ChatCommand.class,
            IngestCommand.class,
            EvalCommand.class,
            BenchCommand.class,
            KeysCommand.class,
            UsageCommand.class,
            BatchesCommand.class,
            AuditCommand.class,
            CacheCommand.class,
            ConfigCommand.class,
            HealthcheckCommand.class,
            CommandLine.HelpCommand.class,
            AotTrainCommand.class,
        })
public final class SpillwayCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.routeJavaUtilLogging();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call this to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new SpillwayCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    if (!(e instanceof Lifecycle.StartFailure)) throw e;
                    commandLine.getErr().println("spillway " + commandLine.getCommandName() + ": " + e.getMessage());
                    return 1;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SpillwayCommand.class.getPackage().getImplementationVersion();
            return new String[] {"spillway " + (v == null ? "dev" : v)};
        }
    }
}
