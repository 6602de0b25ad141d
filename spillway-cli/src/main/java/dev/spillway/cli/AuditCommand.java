package dev.spillway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.audit.AuditKeyException;
import dev.spillway.gateway.audit.AuditReader;
import dev.spillway.gateway.audit.AuditVerifier;
import dev.spillway.gateway.audit.HeadAnchors;
import dev.spillway.gateway.ledger.Accounting;
import dev.spillway.gateway.ledger.AccountingConfig;
import dev.spillway.gateway.ledger.UsageStore;
import dev.spillway.store.jdbc.ledger.JdbcUsageStoreProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spillway audit verify|show}: check the audit hash chain; show one request's record. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit log: verify the tamper-evident chain, show a request.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Show.class})
public final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options shared by the subcommands: where the audit directory is, its keys and anchors. */
    static final class Location {
        @Option(names = "--config", description = "the YAML config file (default: ./spillway.yaml if present)")
        Path config;
        @Option(names = "--dir", description = "the audit directory (default: gateway.audit.dir from the config)")
        Path dir;

        /** The audit section of the config; with {@code --dir} alone, defaults (no keys, no anchors). */
        AuditConfig audit() {
            if (dir != null && config == null) return AuditConfig.defaults(dir).withDir(dir);
            ConfigNode gateway = UsageCommand.gatewaySection(config);
            AccountingConfig accounting = AccountingConfig.from(gateway);
            gateway.throwIfInvalid();
            return dir == null ? accounting.audit() : accounting.audit().withDir(dir);
        }

        /** The ledger database, where the gateway anchors the chain's head, when the config has a ledger. */
        Optional<UsageStore> ledger() {
            if (config == null && (dir != null || !Files.exists(Path.of("spillway.yaml")))) return Optional.empty();
            ConfigNode gateway = UsageCommand.gatewaySection(config);
            if (!AccountingConfig.from(gateway).ledger().enabled()) return Optional.empty();
            DatabaseConfig database = gateway.object("database", DatabaseConfig::from);
            gateway.throwIfInvalid();
            return Optional.of(new JdbcUsageStoreProvider().open(database));
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the hash chain and compare it with the anchored heads; exit 1 and name each"
                    + " edited, deleted or cut-off record or body.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Mixin
        Location location;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                AuditConfig audit = location.audit();
                if (!Files.isDirectory(audit.dir())) {
                    err.println("spillway audit verify: no audit log at " + audit.dir());
                    return 2;
                }
                Optional<UsageStore> ledger = location.ledger();
                try {
                    List<HeadAnchors> anchors = Accounting.anchors(audit, ledger);
                    AuditVerifier.Report report =
                            AuditVerifier.verify(audit.dir(), audit.protection().chainKeys(), anchors);
                    report.problems().forEach(p -> out.println("BROKEN " + p));
                    out.println(summary(report, anchors));
                    return report.intact() ? 0 : 1;
                } finally {
                    ledger.ifPresent(UsageStore::close);
                }
            } catch (ConfigException e) {
                err.println("spillway audit verify: invalid config:\n" + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("spillway audit verify: cannot read the audit log: " + e.getMessage());
                return 2;
            }
        }
    }

    /** The last line: verdict, head, and what the chain was compared with. */
    private static String summary(AuditVerifier.Report r, List<HeadAnchors> anchors) {
        String places = anchors.isEmpty() ? "no anchor place (configure a database or audit.anchor-file)"
                : String.join(", ", anchors.stream().map(HeadAnchors::describe).toList());
        String unkeyed = r.unkeyed() > 0 ? "; " + r.unkeyed() + " records unkeyed (written before chain keys)" : "";
        return "%s: %d records, head seq %d hash %s; %d anchored heads checked in %s%s".formatted(
                r.intact() ? "intact" : "TAMPERED", r.records(), r.headSeq(), r.headHash(), r.anchorsChecked(),
                places, unkeyed);
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one request's audit record (and bodies).")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "REQUEST_ID", description = "the request id (x-request-id / apim-request-id)")
        String requestId;
        @Option(names = "--bodies", description = "also print the stored (redacted) bodies, decrypted with audit.body-keys")
        boolean bodies;
        @CommandLine.Mixin
        Location location;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                AuditConfig audit = location.audit();
                Path dir = audit.dir();
                Optional<JsonNode> record = AuditReader.find(dir, requestId);
                if (record.isEmpty()) {
                    spec.commandLine().getErr().println("spillway audit show: no audit record for request " + requestId);
                    return 1;
                }
                out.println(record.get().toPrettyString());
                if (bodies) {
                    for (String field : new String[] {"request_body", "response_body"}) {
                        Optional<byte[]> body = AuditReader.plaintext(dir, record.get(), field,
                                audit.protection().bodyKeys());
                        if (body.isPresent()) {
                            out.println("--- " + field + " ---");
                            out.println(new String(body.get(), StandardCharsets.UTF_8));
                        }
                    }
                }
                return 0;
            } catch (ConfigException | IOException e) {
                spec.commandLine().getErr().println("spillway audit show: " + e.getMessage());
                return 2;
            } catch (AuditKeyException e) {
                spec.commandLine().getErr().println("spillway audit show: " + e.getMessage());
                return 1;
            }
        }
    }
}
