package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.audit.AuditMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountingConfigTest {
    private static AccountingConfig read(String yaml) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        AccountingConfig c = AccountingConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        return c;
    }

    @Test
    void defaultsKeepEverythingUnderTheDataDir() {
        AccountingConfig c = read("gateway: {}\n");
        assertThat(c.ledger().spoolDir()).isEqualTo(Path.of("data/ledger-spool"));
        assertThat(c.audit().dir()).isEqualTo(Path.of("data/audit"));
        assertThat(c.audit().mode()).isEqualTo(AuditMode.OFF);
        assertThat(c.audit().retention()).isEqualTo(Duration.ofDays(30));
        assertThat(c.telemetry().samplingRatio()).isEqualTo(0.1);
        assertThat(c.telemetry().userLabel()).isFalse();
        assertThat(c.ledger().commitInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.audit().commitInterval()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void commitIntervalsAreReadAndBounded() {
        AccountingConfig c = read("gateway: { ledger: { commit-interval: 0ms }, audit: { commit-interval: 50ms } }\n");
        assertThat(c.ledger().commitInterval()).isZero();
        assertThat(c.audit().commitInterval()).isEqualTo(Duration.ofMillis(50));

        ConfigNode root = ConfigLoader.parse(
                "gateway: { ledger: { commit-interval: 5s }, audit: { commit-interval: 2s } }\n", Map.of());
        AccountingConfig.from(root.child("gateway"));
        assertThat(root.problems())
                .anySatisfy(p -> assertThat(p).startsWith("gateway.ledger.commit-interval: must be between 0 and 1s"))
                .anySatisfy(p -> assertThat(p).startsWith("gateway.audit.commit-interval: must be between 0 and 1s"));
    }

    @Test
    void durabilityIsRelaxedUnlessStrictAndAuditProtectionIsRead() {
        assertThat(read("gateway: {}\n").ledger().durability()).isEqualTo(Durability.RELAXED);
        assertThat(read("gateway: {}\n").audit().durability()).isEqualTo(Durability.RELAXED);
        AccountingConfig c = read("""
                gateway:
                  ledger: { durability: strict }
                  audit:
                    durability: strict
                    chain-keys: [ { id: c2, secret: "${env:C2}" }, { id: c1, secret: "${env:C1}" } ]
                    body-keys: [ { id: b1, secret: "${file:/run/secrets/b1}" } ]
                    anchor-file: anchors/heads.jsonl
                    anchor-url: "https://anchors.example/spillway"
                    anchor-interval: 30s
                """);
        assertThat(c.ledger().durability()).isEqualTo(Durability.STRICT);
        assertThat(c.audit().durability()).isEqualTo(Durability.STRICT);
        var p = c.audit().protection();
        assertThat(p.chainKeys().current().orElseThrow().id()).isEqualTo("c2");
        assertThat(p.chainKeys().byId("c1")).isPresent();
        assertThat(p.bodyKeys().current().orElseThrow().id()).isEqualTo("b1");
        assertThat(p.anchorFile()).contains(Path.of("data/anchors/heads.jsonl"));
        assertThat(p.anchorUrl().orElseThrow().describe()).isEqualTo("anchor URL https://anchors.example/spillway");
        assertThat(p.anchorInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badAuditProtectionIsReportedAtItsPath() {
        ConfigNode root = ConfigLoader.parse("""
                gateway:
                  ledger: { durability: sometimes }
                  audit:
                    chain-keys: [ { id: "c 1", secret: x }, { id: c2, secret: y }, { id: c2, secret: z } ]
                    anchor-url: "ftp://anchors.example"
                    anchor-interval: 10ms
                """, Map.of());
        AccountingConfig.from(root.child("gateway"));
        assertThat(root.problems())
                .anySatisfy(p -> assertThat(p).startsWith("gateway.ledger.durability:"))
                .anySatisfy(p -> assertThat(p).contains("id: must be 1-64 letters"))
                .anySatisfy(p -> assertThat(p).contains("gateway.audit.chain-keys: key id 'c2' appears twice"))
                .anySatisfy(p -> assertThat(p).contains("gateway.audit.anchor-url: must be an absolute http(s) URL"))
                .anySatisfy(p -> assertThat(p).contains("anchor-interval: must be >= 1s"));
    }

    @Test
    void theBenchmarkProfileIsValid() {
        AccountingConfig c = read(readFile("../benchmarks/accounting-overhead.yaml"));
        assertThat(c.ledger().enabled()).isTrue();
        assertThat(c.audit().mode()).isEqualTo(AuditMode.METADATA);
        assertThat(c.telemetry().traces()).isTrue();
    }

    @Test
    void everyBadValueIsReportedAtItsPath() {
        ConfigNode root = ConfigLoader.parse("""
                gateway:
                  ledger: { batch-size: 0 }
                  audit: { mode: loud, redact-patterns: [ { name: x, pattern: "([" } ] }
                  telemetry: { sampling-ratio: 2 }
                """, Map.of());
        AccountingConfig.from(root.child("gateway"));
        assertThat(root.problems()).anySatisfy(p -> assertThat(p).startsWith("gateway.ledger.batch-size: must be > 0"))
                .anySatisfy(p -> assertThat(p).startsWith("gateway.audit.mode:"))
                .anySatisfy(p -> assertThat(p).startsWith("gateway.audit.redact-patterns[0].pattern: not a valid regular expression"))
                .anySatisfy(p -> assertThat(p).startsWith("gateway.telemetry.sampling-ratio: must be between 0 and 1"));
    }

    private static String readFile(String path) {
        try {
            return java.nio.file.Files.readString(Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
