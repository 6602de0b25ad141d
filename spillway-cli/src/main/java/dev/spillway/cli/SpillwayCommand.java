package dev.spillway.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spillway} command: one subcommand per job; {@code --help} on each. */
@Command(name = "spillway",
        mixinStandardHelpOptions = true,
        versionProvider = SpillwayCommand.Version.class,
        description = "AI gateway, Azure OpenAI simulator and RAG chat app.")
public final class SpillwayCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The subcommands, in the order {@code --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
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
            AotTrainCommand.class);

    public static void main(String[] args) {
        Logging.routeJavaUtilLogging();
        System.exit(commandLine(args).execute(args));
    }

    /** The configured command line with every subcommand; tests call this to run commands in-process. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS);
    }

    /**
     * The command line for {@code args}: only the subcommand {@code args[0]} names, or all of them
     * when it names none (no arguments, an option, {@code help}, a typo), so help and error messages
     * still list every one. Picocli builds each subcommand's model by reflection, run interpreted
     * at start (and loaded cold too where its Java 5 class files were not rewritten for the AOT
     * cache, see the launcher), which made every start pay for all sixteen.
     */
    static CommandLine commandLine(String[] args) {
        if (args.length == 0) return commandLine();
        return SUBCOMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0]))
                .findFirst().map(c -> commandLine(List.of(c))).orElseGet(SpillwayCommand::commandLine);
    }

    private static CommandLine commandLine(List<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new SpillwayCommand());
        // Settings reach only the subcommands added before them (picocli's CommandLine setters).
        subcommands.forEach(cli::addSubcommand);
        return cli.setCaseInsensitiveEnumValuesAllowed(true)
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
