package dev.spillway.cli;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.batch.BatchRecord;
import dev.spillway.gateway.batch.BatchStorage;
import dev.spillway.gateway.batch.BatchStatus;
import dev.spillway.gateway.batch.LineCounts;
import dev.spillway.store.jdbc.batch.JdbcBatchStorageProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spillway batches list|show}: the batch lane's batches and their progress, from the database. */
@Command(name = "batches", mixinStandardHelpOptions = true,
        description = "Batches of the Batch API: status and progress, read from the gateway's database.",
        subcommands = {BatchesCommand.ListBatches.class, BatchesCommand.Show.class})
public final class BatchesCommand implements Runnable {
    private static final int BAR = 24;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code [##########..............]  42%}: lines ended out of all lines. */
    static String progress(long ended, long total) {
        int filled = total == 0 ? 0 : (int) (BAR * ended / total);
        long percent = total == 0 ? 0 : 100 * ended / total;
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + String.format("%3d%%", percent);
    }

    /** Options and plumbing shared by the subcommands. */
    abstract static class Base implements Callable<Integer> {
        @Option(names = "--config", description = "the YAML config file (default: ./spillway.yaml if present)")
        Path config;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract void print(BatchStorage storage, PrintWriter out) throws Exception;

        @Override
        public Integer call() {
            String name = "spillway batches " + spec.name();
            try {
                ConfigNode gateway = UsageCommand.gatewaySection(config);
                DatabaseConfig database = gateway.object("database", DatabaseConfig::from);
                gateway.throwIfInvalid();
                try (BatchStorage storage = new JdbcBatchStorageProvider().open(database,
                        java.time.Clock.systemUTC(), dev.spillway.gateway.batch.BatchConfig.DEFAULT.lease())) {
                    print(storage, spec.commandLine().getOut());
                    spec.commandLine().getOut().flush();
                }
                return 0;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(name + ": invalid config:\n" + e.getMessage());
                return 2;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println(name + ": " + e.getMessage());
                return 1;
            } catch (Exception e) {
                spec.commandLine().getErr().println(name + ": cannot read the batches: " + e.getMessage());
                return 1;
            }
        }

        /** Final counts once a batch ended, else the queue's live ones. */
        static LineCounts counts(BatchStorage storage, BatchRecord b) throws Exception {
            if (b.finalCounts().isPresent()) {
                BatchRecord.RequestCounts c = b.finalCounts().get();
                return new LineCounts(0, 0, c.completed(), c.failed(), 0, 0);
            }
            return storage.queue().counts(b.id());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The latest batches of every app, newest first.")
    static final class ListBatches extends Base {
        @Option(names = "--limit", defaultValue = "20", description = "how many (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        void print(BatchStorage storage, PrintWriter out) throws Exception {
            if (limit < 1) throw new IllegalArgumentException("--limit must be >= 1, was " + limit);
            List<BatchRecord> batches = storage.store().recent(limit);
            if (batches.isEmpty()) out.println("no batches");
            for (BatchRecord b : batches) {
                LineCounts c = counts(storage, b);
                out.printf("%-30s %-16s %-11s %s %d/%d ended, %d failed%n", b.id(), b.owner().app(), b.status().wire(),
                        progress(c.total() - c.open(), c.total()), c.total() - c.open(), c.total(), c.unanswered());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One batch: owner, status times, progress, files.")
    static final class Show extends Base {
        @Parameters(paramLabel = "BATCH_ID", description = "the batch id (batch_...)")
        String id;

        @Override
        void print(BatchStorage storage, PrintWriter out) throws Exception {
            BatchRecord b = storage.store().batch(id).orElseThrow(() -> new IllegalArgumentException("no batch " + id));
            LineCounts c = counts(storage, b);
            out.println(b.id() + "  " + b.status().wire());
            out.println("  app        " + b.owner().app() + (b.owner().team().isEmpty() ? "" : " (team " + b.owner().team() + ")")
                    + ", key " + b.owner().keyName());
            out.println("  endpoint   " + b.endpoint() + ", input " + b.inputFileId());
            out.println("  progress   " + progress(c.total() - c.open(), c.total()) + "  " + c.succeeded() + " answered, "
                    + c.unanswered() + " failed, " + c.queued() + " waiting, " + c.leased() + " running");
            out.println("  created    " + b.createdAt() + ", expires " + b.expiresAt());
            for (BatchStatus s : BatchStatus.values()) {
                Instant at = b.times().get(s);
                if (at != null) out.printf("  %-10s %s%n", s.wire(), at);
            }
            file(out, "output", b.outputFileId());
            file(out, "errors", b.errorFileId());
            b.errors().forEach(e -> out.println("  error      " + e.code() + ": " + e.message()));
        }

        private static void file(PrintWriter out, String label, Optional<String> id) {
            id.ifPresent(f -> out.printf("  %-10s %s%n", label, f));
        }
    }
}
