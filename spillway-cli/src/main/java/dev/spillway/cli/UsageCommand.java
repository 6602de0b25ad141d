package dev.spillway.cli;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.ledger.AccountingConfig;
import dev.spillway.gateway.ledger.UsageStore;
import dev.spillway.gateway.ledger.ReportFormat;
import dev.spillway.gateway.ledger.UsageReports;
import dev.spillway.store.jdbc.ledger.JdbcUsageStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spillway usage report}: chargeback from the usage ledger for one month. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Usage ledger: chargeback reports.",
        subcommands = {UsageCommand.Report.class})
public final class UsageCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reads {@code --config} (or ./spillway.yaml when present; else defaults) as the gateway section. */
    static ConfigNode gatewaySection(Path config) {
        if (config == null) {
            Path local = Path.of("spillway.yaml");
            if (!Files.exists(local)) return ConfigLoader.parse("{}", System.getenv()).child("gateway");
            config = local;
        }
        return ConfigLoader.read(config, System.getenv()).child("gateway");
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Requests, tokens and cost per group for a month (UTC); PTU capacity is"
                    + " charged as its flat monthly cost split by share of tokens.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--by", defaultValue = "app", description = "app, team, user, deployment, model or priority (default: ${DEFAULT-VALUE})")
        String by;
        @Option(names = "--period", required = true, description = "the month, e.g. 2026-11")
        String period;
        @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE})")
        String format;
        @Option(names = "--config", description = "the YAML config file (default: ./spillway.yaml if present)")
        Path config;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                ReportFormat fmt = ReportFormat.parse(format);
                var dimension = UsageReports.parseBy(by);
                var month = UsageReports.parsePeriod(period);
                ConfigNode gateway = gatewaySection(config);
                AccountingConfig accounting = AccountingConfig.from(gateway);
                gateway.throwIfInvalid();
                DatabaseConfig database = gateway.object("database", DatabaseConfig::from);
                gateway.throwIfInvalid();
                try (UsageStore store = new JdbcUsageStoreProvider().open(database)) {
                    String out = fmt.write(new UsageReports(store, accounting.prices()).report(dimension, month));
                    spec.commandLine().getOut().print(out);
                    spec.commandLine().getOut().flush();
                }
                return 0;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("spillway usage report: invalid config:\n" + e.getMessage());
                return 2;
            } catch (Exception e) {
                spec.commandLine().getErr().println("spillway usage report: cannot read the ledger: " + e.getMessage());
                return 1;
            }
        }
    }
}
