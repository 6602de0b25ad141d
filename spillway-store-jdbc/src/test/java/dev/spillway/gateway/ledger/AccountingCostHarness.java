package dev.spillway.gateway.ledger;

import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.audit.AuditMode;
import dev.spillway.gateway.audit.AuditRecord;
import dev.spillway.gateway.audit.BodyCapture;
import dev.spillway.gateway.audit.BodyRef;
import dev.spillway.gateway.audit.FileAuditSink;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import dev.spillway.gateway.telemetry.RequestSample;
import dev.spillway.gateway.telemetry.RequestSpan;
import dev.spillway.gateway.telemetry.RequestTracer;
import dev.spillway.gateway.telemetry.TelemetryConfig;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import io.vertx.core.MultiMap;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Not a test: a benchmark harness measuring the process CPU the accounting adds per request
 * (ledger to SQLite, audit metadata, 10% traces, metrics) at a fixed rate, without HTTP. Run:
 * {@code java -cp spillway-store-jdbc/target/test-classes:spillway-store-jdbc/target/classes:spillway-gateway/target/classes:...:spillway-cli/target/lib/*
 * dev.spillway.gateway.ledger.AccountingCostHarness RATE SECONDS metadata|full [ledger,audit,trace,metrics|none]}
 * (system properties {@code nodb}, {@code nofsync} switch the database or fsync off).
 */
public final class AccountingCostHarness {
    static String PARTS;
    public static void main(String[] a) throws Exception {
        int rate = Integer.parseInt(a[0]);
        int seconds = Integer.parseInt(a[1]);
        boolean fullBodies = a.length > 2 && a[2].equals("full");
        PARTS = a.length > 3 ? a[3] : "ledger,audit,trace,metrics";
        Path dir = Files.createTempDirectory("acct");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("spillway.db"), Optional.empty(), Optional.empty(), 4);
             SpoolUsageLedger ledger = new SpoolUsageLedger(System.getProperty("nofsync") != null ? nofsync(LedgerConfig.defaults(dir)) : LedgerConfig.defaults(dir),
                     System.getProperty("nodb") != null ? (b -> b.size()) : new JdbcUsageStore(db)::insert);
             FileAuditSink audit = new FileAuditSink(AuditConfig.defaults(dir));
             RequestTracer tracer = RequestTracer.create(TelemetryConfig.defaults())) {
            GatewayMetrics metrics = new GatewayMetrics(TelemetryConfig.defaults(), Set.of("gpt-4o"), Set.of("ptu"));
            byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "Summarize the plan. ".repeat(50) + "\"}]}").getBytes();
            run(rate, 10, ledger, audit, tracer, metrics, body, fullBodies, "warm");
            ledger.awaitDrained(Duration.ofSeconds(30));
            long cpu0 = os.getProcessCpuTime();
            int n = run(rate, seconds, ledger, audit, tracer, metrics, body, fullBodies, "run");
            boolean drained = ledger.awaitDrained(Duration.ofSeconds(60));
            long cpu = os.getProcessCpuTime() - cpu0;
            System.out.println("drained=" + drained + " " + ledger.stats());
            System.out.printf("requests=%d cpu_s=%.2f cpu_s_per_10k=%.3f us_per_request=%.1f stored=%d%n",
                    n, cpu / 1e9, cpu / 1e9 * 10000 / n, cpu / 1e3 / n, ledger.stats().stored());
        }
    }

    static LedgerConfig nofsync(LedgerConfig c) {
        return new LedgerConfig(c.enabled(), c.spoolDir(), c.spoolMaxSize(), c.segmentSize(), c.maxQueued(), c.batchSize(),
                c.retryMin(), c.retryMax(), false, c.commitInterval(), c.durability());
    }

    static int run(int rate, int seconds, SpoolUsageLedger ledger, FileAuditSink audit, RequestTracer tracer,
            GatewayMetrics metrics, byte[] body, boolean full, String tag) throws Exception {
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        int n = rate * seconds;
        for (int i = 0; i < n; i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            String id = tag + "-" + i;
            Instant now = Instant.now();
            boolean tr = PARTS.contains("trace"), au = PARTS.contains("audit"), le = PARTS.contains("ledger"), me = PARTS.contains("metrics");
            RequestSpan span = tracer.startRequest(MultiMap.caseInsensitiveMultiMap(), "chat", "gpt-4o", now);
            if (tr) { RequestSpan.AttemptSpan at = span.startAttempt("ptu", "azure.ai.openai", "127.0.0.1", 8081, now);
            at.end(200, 500, 500, now); }
            Optional<BodyRef> req = Optional.empty();
            if (full) {
                BodyCapture c = audit.startBody(id, "request", now);
                c.write(body);
                req = Optional.of(c.finish().toCompletableFuture().join()); // harness shortcut: the gateway does not wait
            }
            if (au) audit.write(new AuditRecord(id, now, "billing", "finance", "u", "sk-spw-ab", "POST",
                    "/openai/deployments/gpt-4o/chat/completions", "gpt-4o", 200, AuditMode.METADATA, span.traceId(), 1000,
                    req, Optional.empty()));
            if (le) ledger.append(new UsageRecord(id, now, "billing", "finance", "u", "sk-spw-ab", "gpt-4o", "ptu", "", "gpt-4o",
                    500, 500, 0, 0, false, 0, Optional.of(Duration.ofMillis(20)), Duration.ofMillis(200), 200, 1, false, false,
                    span.traceId()));
            if (me) metrics.requestCompleted(new RequestSample("billing", "u", "gpt-4o", "ptu", 200, 500, 500, 0,
                    Optional.of(Duration.ofMillis(20)), Duration.ofMillis(200), false));
            if (tr) span.end(200, "ptu", "", 500, 500, false, false, now);
        }
        return n;
    }
}
