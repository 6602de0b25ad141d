package dev.spillway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.audit.AuditReader;
import dev.spillway.gateway.ledger.AccountingConfig;
import dev.spillway.gateway.audit.AuditVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Options shared by the subcommands: where the audit directory is. */
    static final class Location {
        @Option(names = "--config", description = "the YAML config file (default: ./spillway.yaml if present)")
        Path config;
        @Option(names = "--dir", description = "the audit directory (default: gateway.audit.dir from the config)")
        Path dir;

        Path auditDir() {
            if (dir != null) return dir;
            ConfigNode gateway = UsageCommand.gatewaySection(config);
            AccountingConfig accounting = AccountingConfig.from(gateway);
            gateway.throwIfInvalid();
            return accounting.audit().dir();
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the hash chain; exit 1 and name each edited or deleted record or body.")
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
                Path dir = location.auditDir();
                if (!Files.isDirectory(dir)) {
                    err.println("spillway audit verify: no audit log at " + dir);
                    return 2;
                }
                AuditVerifier.Report report = AuditVerifier.verify(dir);
                report.problems().forEach(p -> out.println("BROKEN " + p));
                out.printf("%s: %d records, head seq %d hash %s%n", report.intact() ? "intact" : "TAMPERED",
                        report.records(), report.headSeq(), report.headHash());
                return report.intact() ? 0 : 1;
            } catch (ConfigException e) {
                err.println("spillway audit verify: invalid config:\n" + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("spillway audit verify: cannot read the audit log: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one request's audit record (and bodies).")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "REQUEST_ID", description = "the request id (x-request-id / apim-request-id)")
        String requestId;
        @Option(names = "--bodies", description = "also print the stored (redacted) bodies")
        boolean bodies;
        @CommandLine.Mixin
        Location location;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                Path dir = location.auditDir();
                Optional<JsonNode> record = AuditReader.find(dir, requestId);
                if (record.isEmpty()) {
                    spec.commandLine().getErr().println("spillway audit show: no audit record for request " + requestId);
                    return 1;
                }
                out.println(record.get().toPrettyString());
                if (bodies) {
                    for (String field : new String[] {"request_body", "response_body"}) {
                        Optional<byte[]> body = AuditReader.body(dir, record.get(), field);
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
            }
        }
    }
}
