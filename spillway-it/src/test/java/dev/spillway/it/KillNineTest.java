package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.net.Ports;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.audit.AuditConfig;
import dev.spillway.gateway.audit.AuditVerifier;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.ledger.Accounting;
import dev.spillway.gateway.ledger.SpoolUsageLedger;
import dev.spillway.gateway.ledger.UsageStore;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import dev.spillway.store.jdbc.ledger.JdbcUsageStoreProvider;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Acknowledged means recorded" (issue 10 item 5) against a real gateway process: the CLI's
 * {@code spillway gateway} in a forked JVM takes paced load from this JVM (plain and streamed chat
 * against the simulator, all on 127.0.0.1), is killed with SIGKILL mid-load and restarted on the
 * same data dir; finally the spool is drained in-process. Every request id the client got a 200
 * for (a stream: one that ended with {@code [DONE]}) must be in the ledger database and in the audit
 * chain exactly once, and the (HMAC-keyed) chain verifies against the heads the killed
 * processes anchored in the ledger database. The short form runs in the normal suite; the battery form (20 kills at
 * 2,000 req/s) only with {@code -Dbattery=true}; docs/reliability.md records a run.
 */
class KillNineTest {
    private static final String KEY = "sk-spw-killnine-0123456789abcdef0123456789ab";
    private static final String MODEL = "gpt-4o-2024-11-20";
    /** The forked gateways' output, kept for a failed run. */
    private static final Path LOG = Path.of("target/kill-nine-gateway.log");
    private final Vertx vertx = Vertx.vertx();
    private Process gateway;
    @TempDir
    Path data;

    @AfterEach
    void stop() {
        if (gateway != null) gateway.destroyForcibly();
        vertx.close().await();
    }

    @Test
    void requestsAcknowledgedBeforeTwoKillNinesAreAllRecordedOnce() throws Exception {
        Result r = run(2, 60, Duration.ofSeconds(2));
        System.out.println(r.line(2, 60));
        assertThat(r.acknowledged()).as("the load got answers at all").isPositive();
        r.assertNothingLostOrDuplicated();
    }

    @Test
    void batteryTwentyKillNinesAtTwoThousandRequestsPerSecond() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("battery"),
                "the kill -9 battery runs only with -Dbattery=true (it takes minutes)");
        int kills = Integer.getInteger("kill.count", 20);
        int rate = Integer.getInteger("kill.rate", 2000);
        Result r = run(kills, rate, Duration.ofSeconds(3));
        report(r.line(kills, rate));
        r.assertNothingLostOrDuplicated();
    }

    /** What the client saw and what was recorded. */
    private record Result(int sent, int acknowledged, int failed, Set<String> lostInLedger,
            Set<String> lostInAudit, Set<String> duplicatedInAudit, long ledgerRows, double seconds) {

        void assertNothingLostOrDuplicated() {
            assertThat(lostInLedger).as("acknowledged but not in the ledger").isEmpty();
            assertThat(lostInAudit).as("acknowledged but not in the audit log").isEmpty();
            assertThat(duplicatedInAudit).as("in the audit log twice").isEmpty();
        }

        String line(int kills, int rate) {
            return "kill-nine kills=%d target=%d/s achieved=%.0f/s sent=%d acknowledged=%d failed=%d ledger_rows=%d"
                    .formatted(kills, rate, sent / seconds, sent, acknowledged, failed, ledgerRows)
                    + " lost_ledger=%d lost_audit=%d duplicated_audit=%d"
                    .formatted(lostInLedger.size(), lostInAudit.size(), duplicatedInAudit.size());
        }
    }

    private Result run(int kills, int rate, Duration meanUptime) throws Exception {
        Simulator sim = Simulator.start(vertx, SimulatorConfig.demo().withPort(0).withEventLoops(1)
                .withDeployments(List.of(DeploymentConfig.payAsYouGo("fast", MODEL, 1_000_000_000)
                        .withLatency(new Latency(Duration.ofMillis(2), Duration.ZERO))))).await();
        int port = Ports.freePort("127.0.0.1");
        String section = gatewaySection(port, sim.baseUrl());
        Path config = data.resolve("spillway.yaml");
        Files.writeString(config, "gateway:\n" + section.indent(2));
        Load load = new Load(URI.create("http://127.0.0.1:" + port), rate);
        Thread loader = Thread.ofPlatform().name("kill-nine-load").start(load);
        long started = System.nanoTime();
        try {
            for (int i = 0; i < kills; i++) {
                gateway = start(config, port);
                awaitServing(load);
                long up = meanUptime.toMillis() / 2 + ThreadLocalRandom.current().nextLong(meanUptime.toMillis());
                Thread.sleep(up);
                gateway.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
                assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            load.stop.set(true);
            loader.join(60_000);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.println("kill-nine client outcomes: " + load.outcomes);
        GatewayConfig gateway = drainInProcess(section);
        AuditVerifier.Report chain = verifyAudit(gateway);
        assertThat(chain.problems()).as("the audit chain after the kills").isEmpty();
        assertThat(chain.anchorsChecked()).as("heads anchored in the ledger database").isPositive();
        Set<String> ledger = ledgerIds();
        Map<String, Integer> audit = auditIds();
        Set<String> lostLedger = new HashSet<>(load.acknowledged.keySet());
        lostLedger.removeAll(ledger);
        Set<String> lostAudit = new HashSet<>(load.acknowledged.keySet());
        lostAudit.removeAll(audit.keySet());
        Set<String> duplicated = new HashSet<>();
        audit.forEach((id, n) -> { if (n > 1) duplicated.add(id); });
        return new Result(load.sent.get(), load.acknowledged.size(), load.failed.get(), lostLedger, lostAudit,
                duplicated, ledger.size(), seconds);
    }

    private String gatewaySection(int port, String simulator) {
        return """
                host: 127.0.0.1
                port: %d
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s/spillway.db" }
                keys: [ { name: crash, key: "%s", app: crash } ]
                ledger: { durability: strict }
                audit:
                  mode: metadata
                  durability: strict
                  chain-keys: [ { id: c1, secret: "kill-nine-chain-key-0123456789abcdef" } ]
                  anchor-interval: 1s
                backends:
                  - { name: sim, url: "%s", deployment: fast }
                deployments:
                  - { name: gpt-4o, backends: [sim] }
                """.formatted(port, data, data, KEY, simulator);
    }

    /** {@code spillway gateway --config FILE} in its own JVM, on this test's class path. */
    private Process start(Path config, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.spillway.cli.SpillwayCommand", "gateway", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + port + "/readyz");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the gateway did not get ready; its log:\n"
                + Files.readString(LOG));
    }

    /** Until the new process acknowledged a request: a cold JVM on a busy box takes a while. */
    private static void awaitServing(Load load) throws InterruptedException {
        int before = load.acknowledged.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (load.acknowledged.size() == before && System.nanoTime() < deadline) Thread.sleep(20);
    }

    /** The restart that finishes the job: opens the same spool and waits until the database has it all. */
    private GatewayConfig drainInProcess(String section) throws Exception {
        ConfigNode root = ConfigLoader.parse(section, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        try (Accounting accounting = Accounting.open(config, Clock.systemUTC())) {
            SpoolUsageLedger spool = (SpoolUsageLedger) accounting.ledger();
            assertThat(spool.awaitDrained(Duration.ofSeconds(60))).as("the spool drained").isTrue();
        }
        return config;
    }

    /** {@code audit verify}: the keyed chain against the heads the killed gateways anchored. */
    private static AuditVerifier.Report verifyAudit(GatewayConfig config) throws Exception {
        AuditConfig audit = config.accounting().audit();
        try (UsageStore ledger = new JdbcUsageStoreProvider().open(config.access().database())) {
            return AuditVerifier.verify(audit.dir(), audit.protection().chainKeys(),
                    Accounting.anchors(audit, Optional.of(ledger)));
        }
    }

    private Set<String> ledgerIds() throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("spillway.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT request_id FROM usage_ledger")) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }

    /** Each request id in the audit chain and how often it occurs. */
    private Map<String, Integer> auditIds() throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        try (Stream<Path> files = Files.list(data.resolve("audit/chain"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.isBlank()) continue;
                    JsonNode record = Json.MAPPER.readTree(line);
                    ids.merge(record.path("id").asText(), 1, Integer::sum);
                }
            }
        }
        return ids;
    }

    private static void report(String line) throws IOException {
        System.out.println("BATTERY " + line);
        Files.writeString(Path.of("target/battery-report.txt"), line + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Paced load until stopped: {@code rate} requests a second (one in four streamed), at most 128 in
     * flight, to 127.0.0.1 only; remembers the request id of every acknowledged one. Bounded: it
     * stops when told to, or after ten minutes.
     */
    private static final class Load implements Runnable {
        private static final String PLAIN = "{\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"max_tokens\":8}";
        private static final String STREAMED =
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"max_tokens\":8,\"stream\":true}";
        final AtomicBoolean stop = new AtomicBoolean();
        final ConcurrentHashMap<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final ConcurrentHashMap<String, Integer> outcomes = new ConcurrentHashMap<>();
        private static final int MAX_IN_FLIGHT = 128;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        private final URI uri;
        private final int rate;
        private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);

        Load(URI base, int rate) {
            this.uri = base.resolve("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
            this.rate = rate;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long limit = start + TimeUnit.MINUTES.toNanos(10);
            for (long i = 0; !stop.get() && System.nanoTime() < limit; i++) {
                long due = start + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                if (!slots.tryAcquire()) continue;
                send(i % 4 == 3);
            }
            slots.acquireUninterruptibly(MAX_IN_FLIGHT);
        }

        private void send(boolean stream) {
            sent.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .header("api-key", KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(stream ? STREAMED : PLAIN)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                boolean ok = e == null && r.statusCode() == 200 && (!stream || r.body().contains("data: [DONE]"));
                outcomes.merge(e != null ? String.valueOf(e.getCause()) : r.statusCode() + (ok ? "" : " unfinished"), 1,
                        Integer::sum);
                if (ok) r.headers().firstValue("x-spillway-request-id").ifPresent(id -> acknowledged.put(id, true));
                else failed.incrementAndGet();
                slots.release();
            });
        }
    }
}
