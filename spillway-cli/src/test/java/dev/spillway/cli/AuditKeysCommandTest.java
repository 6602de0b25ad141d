package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.audit.AuditMode;
import dev.spillway.gateway.audit.AuditRecord;
import dev.spillway.gateway.audit.BodyCapture;
import dev.spillway.gateway.audit.BodyRef;
import dev.spillway.gateway.audit.FileAuditSink;
import dev.spillway.gateway.audit.FileHeadAnchors;
import dev.spillway.gateway.ledger.AccountingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code audit verify} and {@code audit show} with chain keys, body keys and an anchor file from the config. */
class AuditKeysCommandTest {
    @TempDir
    Path dir;
    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SpillwayCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @BeforeEach
    void writeProtectedAuditLog() throws Exception {
        config = dir.resolve("spillway.yaml");
        Files.writeString(config, """
                gateway:
                  data-dir: "%s"
                  ledger: { enabled: false }
                  audit:
                    mode: full
                    chain-keys: [ { id: c1, secret: "chain-key-for-the-cli-test-0123456789" } ]
                    body-keys: [ { id: b1, secret: "body-key-for-the-cli-test-01234567890" } ]
                    anchor-file: elsewhere/heads.jsonl
                """.formatted(dir));
        ConfigNode gateway = ConfigLoader.read(config, Map.of()).child("gateway");
        AuditConfig audit = AccountingConfig.from(gateway).audit();
        gateway.throwIfInvalid();
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        try (FileAuditSink sink = new FileAuditSink(audit)) {
            for (String id : List.of("req-a", "req-b", "req-c")) {
                BodyCapture c = sink.startBody(id, "request", at);
                c.write("{\"content\":\"the merger closes friday\"}".getBytes(StandardCharsets.UTF_8));
                BodyRef ref = c.finish().toCompletableFuture().join();
                sink.write(new AuditRecord(id, at, "billing", "finance", "u", "sk-spw-ab", "POST", "/v1/chat/completions",
                        "gpt-4o", 200, AuditMode.FULL, "", 10, Optional.of(ref), Optional.empty())).toCompletableFuture().join();
            }
            sink.anchor(List.of(new FileHeadAnchors(audit.protection().anchorFile().orElseThrow())), at);
        }
    }

    @Test
    void verifyChecksTheKeyedChainAgainstTheAnchorFile() {
        assertThat(run("audit", "verify", "--config", config.toString())).isZero();
        assertThat(out.toString()).startsWith("intact: 3 records, head seq 3").contains("1 anchored heads checked");
    }

    @Test
    void verifyFailsWhenTheTailWasCutAfterTheAnchor() throws Exception {
        Path segment;
        try (var files = Files.list(dir.resolve("audit/chain"))) {
            segment = files.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(segment);
        Files.writeString(segment, String.join("\n", lines.subList(0, 2)) + "\n");

        assertThat(run("audit", "verify", "--config", config.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("BROKEN the head anchored in anchor file").contains("cut from the tail");
    }

    @Test
    void showDecryptsTheBodyWithTheConfiguredKey() {
        assertThat(run("audit", "show", "req-b", "--bodies", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("\"key\" : \"b1\"").contains("the merger closes friday");
    }

    @Test
    void showWithoutTheBodyKeySaysWhichKeyIsMissing() {
        assertThat(run("audit", "show", "req-b", "--bodies", "--dir", dir.resolve("audit").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("encrypted with key 'b1', which is not configured");
    }
}
