package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.net.Ports;
import dev.spillway.core.wire.Json;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 6, the fleet test: three {@code spillway gateway} processes sharing PostgreSQL
 * (keys, ledger, batch: database {@code fleet_test}), a Redis of this test's own (limits, shared
 * learning: a {@code redis-server} it starts on a free port in 6390-6399) and RabbitMQ (exchange
 * {@code fleet-test.requests}), the simulator as backend, all on 127.0.0.1. {@link FleetLoad}
 * drives {@code fleet.rate} chats a second (default 1,500; one in four streamed, one in ten on a
 * key whose app has a tokens/min quota) round robin over the three for {@code fleet.duration}
 * (default 180 s, after an uncounted warm-up of {@code fleet.warmup}, default 15 s), and
 * {@link FleetRabbit} a message a second per 100 of them. At 20 % of the run one replica is
 * killed with SIGKILL and started again; at 60 % (or once it is back, if later) Redis is stopped
 * and started again 2 s later. Then: no acknowledged request (a 200, a stream with its
 * {@code [DONE]}, an AMQP answer with status 200) is missing from the ledger, no request id is in
 * it twice, and every minute of the quota'd app, the Redis restart's too (each replica puts its
 * share of the lost counts back), admitted at most its quota plus one request's estimate (the
 * app's tokens/min fail closed: the default local
 * fallback counts alone while Redis is slow or away); the client errors in each fault window and
 * the CPU each group of processes used while the load ran ({@link FleetCpu}) are reported. Opt-in
 * ({@code -Dbattery=true}); prints a table and appends it to {@code target/fleet-report.md}; each
 * client error is listed in {@code target/fleet-errors.txt}, the gateways' output is in
 * {@code target/fleet-gateways.log}. docs/reliability.md records runs.
 */
class FleetTest {
    private static final String MODEL = "gpt-4o-2024-11-20";
    private static final String ADMIN = "fleet-test-admin-key-0123456789abcdef0123";
    private static final String DATABASE = "fleet_test";
    private static final String EXCHANGE = "fleet-test.requests";
    private static final Path LOG = Path.of("target/fleet-gateways.log");
    /**
     * The gateways' JVM options ({@code fleet.gateway-jvm} replaces them). Three JVMs share the box
     * with the stores and the client: each gets one processor's worth of threads (one event loop,
     * one verticle), a fixed heap, and C1 only: in one-minute runs three C2 compilers warming the
     * same code (and again in the restarted replica) took more CPU than C2's faster code saved
     * (docs/reliability.md, "Where the CPU goes").
     */
    private static final String GATEWAY_JVM = "-XX:+UseSerialGC -Xms256m -Xmx512m -XX:ActiveProcessorCount=1"
            + " -XX:TieredStopAtLevel=1";
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Process> gateways = new ArrayList<>(Arrays.asList(new Process[3]));
    private final List<String> urls = new ArrayList<>();
    private final List<Path> configs = new ArrayList<>();
    private Process redis;
    private int redisPort;
    private String pgUser;
    private final FleetCpu cpu = new FleetCpu()
            .group("3 gateways (their JVMs)", () -> gateways.stream().filter(g -> g != null && g.isAlive())
                    .map(Process::pid).toList())
            .group("test JVM: client, simulator, AMQP publisher", () -> List.of(ProcessHandle.current().pid()))
            .group("Redis (the test's)", () -> redis == null ? List.of() : List.of(redis.pid()))
            .group("PostgreSQL backends on " + DATABASE, this::postgresBackends)
            .group("RabbitMQ (beam.smp, also serving anything else)", () -> FleetCpu.commandsContaining("beam.smp"));
    @TempDir
    Path data;

    @AfterEach
    void stop() throws Exception {
        for (Process g : gateways) if (g != null) g.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (redis != null) redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        vertx.close().await();
    }

    @Test
    void batteryAFleetLosesNoAcknowledgedRequestThroughAKillNineAndARedisRestart() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("battery"), "the fleet test runs only with -Dbattery=true");
        requireServers();
        int rate = Integer.getInteger("fleet.rate", 1500);
        Duration duration = Duration.ofSeconds(Integer.getInteger("fleet.duration", 180));
        long quota = Math.max(2_000, rate * 20L);
        setUp(quota);
        String key = createKey("fleet");
        String meteredKey = createKey("metered");
        Thread.sleep(1_100); // the other replicas' not-found cache for the new keys (key-cache-ttl 1 s)

        // Warm-up, not counted: cold JVMs on a loaded box time requests out for their first seconds.
        new FleetLoad(urls, key, key, rate, Duration.ofSeconds(Integer.getInteger("fleet.warmup", 15))).run();
        FleetLoad load = new FleetLoad(urls, key, meteredKey, rate, duration);
        FleetReport.Window kill;
        FleetReport.Window redisOutage;
        try (FleetRabbit rabbit = new FleetRabbit(EXCHANGE, key, Math.max(1, rate / 100), duration)) {
            long[] boxFrom = FleetCpu.boxJiffies();
            cpu.sample();
            long started = System.currentTimeMillis();
            Thread loader = Thread.ofPlatform().name("fleet-load").start(load);
            Thread publisher = Thread.ofPlatform().name("fleet-rabbit").start(rabbit);
            sleepUntil(started + duration.toMillis() / 5);
            kill = killAndRestart(1);
            sleepUntil(started + duration.toMillis() * 3 / 5);
            redisOutage = restartRedis();
            loader.join(duration.toMillis() + 120_000);
            cpu.sample();
            String cpuTable = cpu.table(load.outcomes.size(), Duration.ofMillis(System.currentTimeMillis() - started),
                    boxFrom, FleetCpu.boxJiffies(), Map.of("the client's event loop (in the test JVM)",
                            load.clientCpuSeconds()));
            publisher.join(duration.toMillis() + 120_000);
            rabbit.awaitAnswers(Duration.ofSeconds(60));
            FleetReport report = check(load, rabbit, kill, redisOutage, quota, rate, duration);
            report(report.table() + "\nCPU while the load ran (from its start to its last answer):\n\n" + cpuTable);
            report.writeErrors(Path.of("target/fleet-errors.txt"), started);
            rabbit.cleanUp();
            report.assertHolds();
        }
    }

    private void requireServers() {
        Requirements.require(Requirements.commandWorks("redis-server", "--version"), "redis-server is not installed");
        Requirements.require(listening(5672), "RabbitMQ is not reachable on 127.0.0.1:5672");
        Requirements.require(createDatabase(), "PostgreSQL on 127.0.0.1:5432 (db test, user postgres/root) is unreachable");
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A fresh database {@code fleet_test}, so the ledger holds only this run. */
    private boolean createDatabase() {
        for (String user : new String[] {"postgres", "root"}) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=" + user
                    + "&connectTimeout=3"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + DATABASE);
                pgUser = user;
                return true;
            } catch (SQLException e) {
                System.err.println("PostgreSQL as " + user + ": " + e.getMessage());
            }
        }
        return false;
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE + "?user=" + pgUser);
    }

    private void setUp(long quota) throws Exception {
        int from = Integer.getInteger("fleet.redis-ports-from", 6390); // ten ports from here
        redisPort = freePortIn(from, from + 9);
        startRedis();
        Simulator sim = Simulator.start(vertx, SimulatorConfig.demo().withPort(0).withEventLoops(1)
                .withDeployments(List.of(DeploymentConfig.payAsYouGo("fast", MODEL, 1_000_000_000)
                        .withLatency(new Latency(Duration.ofMillis(5), Duration.ofMillis(1)))))).await();
        for (int i = 0; i < 3; i++) {
            int port = Ports.freePort("127.0.0.1");
            Path dir = Files.createDirectories(data.resolve("gateway-" + i));
            Path config = dir.resolve("spillway.yaml");
            Files.writeString(config, gatewayConfig(port, dir, sim.baseUrl(), quota));
            configs.add(config);
            urls.add("http://127.0.0.1:" + port);
        }
        for (int i = 0; i < 3; i++) start(i);
    }

    private String gatewayConfig(int port, Path dir, String simulator, long quota) {
        return """
                gateway:
                  host: 127.0.0.1
                  port: %d
                  listener: { max-connections-per-ip: 2048 }   # the front is one address, as a load balancer
                  data-dir: "%s"
                  admin: { key: "%s" }
                  database: { url: "jdbc:postgresql://127.0.0.1:5432/%s", user: %s }
                  store: { type: redis, redis-url: "redis://127.0.0.1:%d", replicas: 3, key-prefix: "fleet-test:" }
                  limits:
                    # closed: while Redis is slow or away the quota'd app is refused (503), never counted
                    # alone per replica (the default local-fallback), so its quota stays exact.
                    fail-policy: { rate: closed }
                    apps: [ { name: metered, tokens-per-minute: %d } ]
                  ledger: { durability: strict }
                  batch: { rabbitmq: { uri: "%s", exchange: "%s" } }
                  backends:
                    - { name: sim, url: "%s", deployment: fast }
                  deployments:
                    - { name: gpt-4o, backends: [sim] }
                """.formatted(port, dir, ADMIN, DATABASE, pgUser, redisPort, quota, FleetRabbit.URI, EXCHANGE,
                simulator);
    }

    private static int freePortIn(int from, int to) {
        for (int p = from; p <= to; p++) if (!listening(p)) return p;
        throw new IllegalStateException("no free port in " + from + "-" + to + " for the test's redis-server");
    }

    private void startRedis() throws Exception {
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile())).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening(redisPort)) {
            if (System.nanoTime() > until) throw new IllegalStateException("redis-server did not start");
            Thread.sleep(20);
        }
    }

    /** {@code spillway gateway} number {@code i} in its own JVM; returns once it is ready. */
    private void start(int i) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(Arrays.asList(System.getProperty("fleet.gateway-jvm", GATEWAY_JVM).trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.spillway.cli.SpillwayCommand",
                "gateway", "--config", configs.get(i).toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile())).start();
        gateways.set(i, p);
        URI ready = URI.create(urls.get(i) + "/readyz");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < until && p.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("gateway " + i + " did not get ready; see " + LOG.toAbsolutePath());
    }

    private String createKey(String app) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(urls.get(0) + "/admin/keys"))
                .header("api-key", ADMIN).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"app\":\"" + app + "\",\"team\":\"fleet\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body()).path("secret").asText();
    }

    /** SIGKILL to replica {@code i} (no shutdown hook, no flush), then the same replica again. */
    private FleetReport.Window killAndRestart(int i) throws Exception {
        cpu.sample();
        long from = System.currentTimeMillis();
        gateways.get(i).destroyForcibly();
        assertThat(gateways.get(i).waitFor(30, TimeUnit.SECONDS)).isTrue();
        start(i);
        return new FleetReport.Window("kill -9 replica " + (i + 1) + ", restart until ready", from,
                System.currentTimeMillis());
    }

    /** Stops the test's Redis (all counters and holds are lost: no persistence) and starts it 2 s later. */
    private FleetReport.Window restartRedis() throws Exception {
        cpu.sample();
        long from = System.currentTimeMillis();
        redis.destroy();
        assertThat(redis.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(2_000);
        startRedis();
        // Until the store's breakers half-open (breaker-open-for 5 s) the replicas count alone.
        return new FleetReport.Window("Redis stopped 2 s, restarted empty (+5 s breaker)", from,
                System.currentTimeMillis() + 5_000);
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);
    }

    private FleetReport check(FleetLoad load, FleetRabbit rabbit, FleetReport.Window kill,
            FleetReport.Window redisOutage, long quota, int rate, Duration duration) throws Exception {
        Set<String> acknowledged = new HashSet<>();
        for (FleetLoad.Outcome o : load.outcomes) if (o.acknowledged()) acknowledged.add(o.requestId());
        int rabbitAnswered = 0;
        int rabbitRedelivered = 0;
        for (List<FleetRabbit.Answer> answers : rabbit.answers.values()) {
            if (answers.size() > 1) rabbitRedelivered++;
            for (FleetRabbit.Answer a : answers) {
                if (a.status() == 200) {
                    acknowledged.add(a.requestId());
                    rabbitAnswered++;
                }
            }
        }
        Set<String> missing = awaitLedger(acknowledged, Duration.ofSeconds(90));
        double gatewayMeanMs = gatewayMeanLatencyMs();
        String configs = fleetConfigs();
        for (Process g : gateways) {
            g.destroy(); // SIGTERM: a graceful stop drains what is left
            g.waitFor(30, TimeUnit.SECONDS);
        }
        missing = missingFromLedger(acknowledged);
        return new FleetReport(rate, duration, load, List.of(kill, redisOutage), missing, duplicates(), ledgerRows(),
                quotaWindows(redisOutage), quota, rabbit.published.get(), rabbitAnswered, rabbitRedelivered,
                acknowledged.size(), gatewayMeanMs, configs);
    }

    /**
     * The mean time the gateways themselves took per request ({@code spillway_request_duration_seconds},
     * all series of the three live processes), to hold against the client's: the difference is spent
     * between the client and the gateways (the client's own work, queues in the kernel, a starved CPU).
     */
    private double gatewayMeanLatencyMs() throws Exception {
        double sum = 0;
        double count = 0;
        for (String url : urls) {
            String text = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.lines().toList()) {
                if (line.startsWith("spillway_request_duration_seconds_sum")) sum += value(line);
                if (line.startsWith("spillway_request_duration_seconds_count")) count += value(line);
            }
        }
        return count == 0 ? Double.NaN : 1000 * sum / count;
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** What replica 0's {@code GET /admin/config} says about the fleet's configs (issue 17: replicas compare). */
    private String fleetConfigs() throws Exception {
        com.fasterxml.jackson.databind.JsonNode fleet = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(urls.get(0)
                + "/admin/config")).header("api-key", ADMIN).build(), HttpResponse.BodyHandlers.ofString()).body())
                .get("fleet");
        if (fleet == null) return "not reported";
        Set<String> hashes = new HashSet<>();
        fleet.get("replicas").forEach(h -> hashes.add(h.asText()));
        return String.format(Locale.ROOT, "%d replicas in the roster (a killed one stays up to 15 s), %d different "
                + "config hashes (expected: 3, each replica here has its own file with its port and data dir)",
                fleet.get("replicas").size(), hashes.size());
    }

    private Set<String> awaitLedger(Set<String> acknowledged, Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        Set<String> missing = missingFromLedger(acknowledged);
        while (!missing.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(2_000);
            missing = missingFromLedger(acknowledged);
        }
        return missing;
    }

    private Set<String> missingFromLedger(Set<String> acknowledged) throws SQLException {
        Set<String> missing = new HashSet<>(acknowledged);
        try (Connection c = database(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT request_id FROM usage_ledger")) {
            while (rs.next()) missing.remove(rs.getString(1));
        }
        return missing;
    }

    private List<Long> postgresBackends() {
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = '" + DATABASE + "'")) {
            List<Long> pids = new ArrayList<>();
            while (rs.next()) pids.add(rs.getLong(1));
            return pids;
        } catch (SQLException e) {
            return List.of();
        }
    }

    private long duplicates() throws SQLException {
        return single("SELECT count(*) FROM (SELECT request_id FROM usage_ledger GROUP BY request_id"
                + " HAVING count(*) > 1) d");
    }

    private long ledgerRows() throws SQLException {
        return single("SELECT count(*) FROM usage_ledger");
    }

    private long single(String sql) throws SQLException {
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<FleetReport.QuotaWindow> quotaWindows(FleetReport.Window redisOutage) throws SQLException {
        Map<Long, FleetReport.QuotaWindow> windows = new TreeMap<>();
        String sql = "SELECT occurred_at_ms / 60000, sum(prompt_tokens + completion_tokens), count(*),"
                + " max(prompt_tokens + completion_tokens) FROM usage_ledger WHERE app = 'metered' AND status = 200"
                + " GROUP BY 1";
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                long minute = rs.getLong(1);
                boolean fault = minute * 60_000 < redisOutage.to() && (minute + 1) * 60_000 > redisOutage.from();
                windows.put(minute, new FleetReport.QuotaWindow(minute, rs.getLong(2), rs.getLong(3), rs.getLong(4), fault));
            }
        }
        return List.copyOf(windows.values());
    }

    private static void report(String table) throws IOException {
        System.out.println(table);
        Files.writeString(Path.of("target/fleet-report.md"), table + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

}
