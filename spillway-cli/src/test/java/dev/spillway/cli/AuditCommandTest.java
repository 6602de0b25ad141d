package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.audit.AuditMode;
import dev.spillway.gateway.audit.AuditProtection;
import dev.spillway.gateway.audit.AuditRecord;
import dev.spillway.gateway.audit.BodyCapture;
import dev.spillway.gateway.audit.BodyRef;
import dev.spillway.gateway.audit.FileAuditSink;
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
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        try (FileAuditSink sink = new FileAuditSink(config)) {
            for (String id : List.of("req-a", "req-b", "req-c")) {
                BodyCapture c = sink.startBody(id, "request", at);
                c.write("{\"content\":\"write to carol@example.com\"}".getBytes(StandardCharsets.UTF_8));
                BodyRef ref = c.finish().toCompletableFuture().join();
                sink.write(new AuditRecord(id, at, "billing", "finance", "u", "sk-spw-ab", "POST", "/v1/chat/completions",
                        "gpt-4o", 200, AuditMode.FULL, "", 10, Optional.of(ref), Optional.empty())).toCompletableFuture().join();
            }
        }
    }

    @Test
    void verifyReportsAnIntactChain() {
        assertThat(run("audit", "verify", "--dir", dir.toString())).isZero();
        assertThat(out.toString()).startsWith("intact: 3 records, head seq 3");
    }

    @Test
    void verifyNamesTheEditedRecordAndFails() throws Exception {
        Path segment;
        try (var files = Files.list(dir.resolve("chain"))) {
            segment = files.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
        }
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
}
