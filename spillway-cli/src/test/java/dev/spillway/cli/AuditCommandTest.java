package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.audit.AuditMode;
import dev.spillway.gateway.audit.AuditProtection;
import dev.spillway.gateway.audit.AuditRecord;
import dev.spillway.gateway.audit.BodyCapture;
import dev.spillway.gateway.audit.BodyRef;
import dev.spillway.gateway.audit.FileAuditSink;
import dev.spillway.gateway.audit.FileHeadAnchors;
import dev.spillway.gateway.ledger.AccountingConfig;
import dev.spillway.gateway.ledger.Durability;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandTest {
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SpillwayCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @BeforeEach
    void writeAuditLog() throws Exception {
        AuditConfig config = new AuditConfig(AuditMode.FULL, Map.of(), dir, DataSize.ofMebibytes(1),
                DataSize.ofMebibytes(1), true, List.of(), Duration.ofDays(30), DataSize.ofMebibytes(1), false,
                Duration.ZERO, Durability.STRICT, AuditProtection.NONE);
        try (FileAuditSink sink = new FileAuditSink(config)) {
            writeThreeRecords(sink, "write to carol@example.com");
        }
    }

    private static Path firstSegment(Path auditDir) throws java.io.IOException {
        try (var files = Files.list(auditDir.resolve("chain"))) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
        }
    }

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    /** req-a, req-b and req-c, each with a request body holding {@code content}. */
    private static void writeThreeRecords(FileAuditSink sink, String content) {
        for (String id : List.of("req-a", "req-b", "req-c")) {
            BodyCapture c = sink.startBody(id, "request", AT);
            c.write(("{\"content\":\"" + content + "\"}").getBytes(StandardCharsets.UTF_8));
            BodyRef ref = c.finish().toCompletableFuture().join();
            sink.write(new AuditRecord(id, AT, "billing", "finance", "u", "sk-spw-ab", "POST", "/v1/chat/completions",
                    "gpt-4o", 200, AuditMode.FULL, "", 10, Optional.of(ref), Optional.empty())).toCompletableFuture().join();
        }
    }

    @Test
    void verifyReportsAnIntactChain() {
        assertThat(run("audit", "verify", "--dir", dir.toString())).isZero();
        assertThat(out.toString()).startsWith("intact: 3 records, head seq 3");
    }

    @Test
    void verifyNamesTheEditedRecordAndFails() throws Exception {
        Path segment = firstSegment(dir);
        Files.writeString(segment, Files.readString(segment).replace("\"id\":\"req-b\",\"at\":\"2026-11-20T10:00:00Z\"",
                "\"id\":\"req-b\",\"at\":\"2026-11-20T11:00:00Z\""));
        assertThat(run("audit", "verify", "--dir", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("BROKEN").contains("request req-b").contains("TAMPERED");
    }

    @Test
    void showPrintsTheRecordAndItsRedactedBody() {
        assertThat(run("audit", "show", "req-b", "--bodies", "--dir", dir.toString())).isZero();
        assertThat(out.toString()).contains("\"id\" : \"req-b\"").contains("[REDACTED:email]").doesNotContain("carol@");
    }

    @Test
    void showSaysWhenThereIsNoSuchRequest() {
        assertThat(run("audit", "show", "nope", "--dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no audit record for request nope");
    }

    /** With chain keys, body keys and an anchor file from {@code --config}. */
    @Nested
    class WithKeysAndAnchors {
        private Path keyed;
        private Path config;

        @BeforeEach
        void writeProtectedAuditLog() throws Exception {
            keyed = Files.createDirectories(dir.resolve("keyed"));
            config = keyed.resolve("spillway.yaml");
            Files.writeString(config, """
                    gateway:
                      data-dir: "%s"
                      ledger: { enabled: false }
                      audit:
                        mode: full
                        chain-keys: [ { id: c1, secret: "chain-key-for-the-cli-test-0123456789" } ]
                        body-keys: [ { id: b1, secret: "body-key-for-the-cli-test-01234567890" } ]
                        anchor-file: elsewhere/heads.jsonl
                    """.formatted(keyed));
            ConfigNode gateway = ConfigLoader.read(config, Map.of()).child("gateway");
            AuditConfig audit = AccountingConfig.from(gateway).audit();
            gateway.throwIfInvalid();
            try (FileAuditSink sink = new FileAuditSink(audit)) {
                writeThreeRecords(sink, "the merger closes friday");
                sink.anchor(List.of(new FileHeadAnchors(audit.protection().anchorFile().orElseThrow())), AT);
            }
        }

        @Test
        void verifyChecksTheKeyedChainAgainstTheAnchorFile() {
            assertThat(run("audit", "verify", "--config", config.toString())).isZero();
            assertThat(out.toString()).startsWith("intact: 3 records, head seq 3").contains("1 anchored heads checked");
        }

        @Test
        void verifyFailsWhenTheTailWasCutAfterTheAnchor() throws Exception {
            Path segment = firstSegment(keyed.resolve("audit"));
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
            assertThat(run("audit", "show", "req-b", "--bodies", "--dir", keyed.resolve("audit").toString())).isEqualTo(1);
            assertThat(err.toString()).contains("encrypted with key 'b1', which is not configured");
        }
    }
}
