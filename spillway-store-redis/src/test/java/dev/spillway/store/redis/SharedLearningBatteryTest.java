package dev.spillway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.route.pool.BackendState;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 2's figures: three gateways sharing the real Redis, with a round-robin front (the
 * load generator sends request i to gateway i mod 3), on loopback and bounded. Runs only with
 * {@code -Dbattery=true} (about three minutes; {@code -Dbattery.reactive=true} runs the PTU scenario
 * with {@code spillover.proactive: false}, {@code -Dbattery.requests} sets its size); prints {@code BATTERY} lines and appends them to
 * {@code target/sharing-battery-report.txt}; docs/routing.md records a run.
 */
class SharedLearningBatteryTest {
    private static final String MODEL = "gpt-4o-2024-11-20";
    private static final String KEY = "sk-battery-0123456789abcdef0123456789abcdef";
    private static final Latency LATENCY = new Latency(Duration.ofMillis(100), Duration.ZERO);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private final List<GatewayServer> gateways = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    @BeforeEach
    void onlyWhenAskedFor() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("battery"),
                "the sharing battery runs only with -Dbattery=true (it takes minutes)");
        LocalRedis.require();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx == null) return;
        closeGateways();
        for (AutoCloseable c : others) c.close();
        await(vertx.close());
    }

    private void closeGateways() throws Exception {
        for (GatewayServer g : gateways) await(g.close());
        gateways.clear();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Three gateways on the same config, sharing what they learn when {@code share}. */
    private List<GatewayServer> fleet(boolean share, String backendsAndDeployments) throws Exception {
        String prefix = "spillway-sharing-test:battery-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        String yaml = "gateway:\n  port: 0\n  keys: [ { name: battery, key: " + KEY + ", app: battery } ]\n"
                + "  store: { type: redis, key-prefix: \"" + prefix + "\", share-learning: " + share + " }\n"
                + backendsAndDeployments;
        for (int i = 0; i < 3; i++) gateways.add(await(GatewayServer.start(vertx, Yaml.gateway(yaml), 1, Clock.systemUTC())));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (share && !gateways.stream().allMatch(g -> g.sharing().orElseThrow().listening())) {
            if (System.nanoTime() > end) throw new IllegalStateException("the fleet did not subscribe in 5 s");
            Thread.sleep(10);
        }
        return List.copyOf(gateways);
    }

    private static void report(String line) throws IOException {
        String loaded = line + " loadavg=" + Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0]
                + " cores=" + Runtime.getRuntime().availableProcessors();
        System.out.println("BATTERY " + loaded);
        Files.writeString(Path.of("target/sharing-battery-report.txt"), loaded + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void aSaturatedPtuThrowsFewer429sAtAFleetThatShares() throws Exception {
        int requests = Integer.getInteger("battery.requests", 4000);
        boolean proactive = !Boolean.getBoolean("battery.reactive");
        ptuSaturation(300, proactive, new boolean[] {true, false}); // warms the JVM up; not compared
        long[] received = ptuSaturation(requests, proactive, new boolean[] {false, true, true, false});
        report(String.format(Locale.ROOT, "ptu-saturation proactive=%s 429s-received over two runs each off/on=%d/%d"
                + " ratio=%.1f", proactive, received[0], received[1], (double) received[0] / Math.max(1, received[1])));
    }

    /** Runs the fleet once per entry of {@code shares}, in that order; 429s received, summed, by off and on. */
    private long[] ptuSaturation(int requests, boolean proactive, boolean[] shares) throws Exception {
        long[] received = new long[2];
        for (boolean share : shares) {
            Simulator s = await(Simulator.start(vertx, SimulatorConfig.demo().withPort(0).withEventLoops(1)
                    .withDeployments(List.of(DeploymentConfig.ptu("ptu", MODEL, 100).withLatency(LATENCY),
                            DeploymentConfig.payAsYouGo("payg-1", MODEL, 10_000_000).withLatency(LATENCY),
                            DeploymentConfig.payAsYouGo("payg-2", MODEL, 10_000_000).withLatency(LATENCY)))));
            List<GatewayServer> g = fleet(share, "  routing: { spillover: { proactive: " + proactive + " } }\n"
                    + "  backends:\n"
                    + backend("ptu", s) + backend("payg-1", s) + backend("payg-2", s)
                    + "  deployments:\n    - { name: gpt-4o, backends: [ { backend: ptu, priority: 0 },"
                    + " { backend: payg-1, priority: 1 }, { backend: payg-2, priority: 1 } ] }\n");
            long started = System.nanoTime();
            java.util.function.LongSupplier fleet429s = () ->
                    g.stream().mapToLong(x -> x.backendStates().get("ptu").throttledCount()).sum();
            java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            long[] firstSecond = {-1};
            sampler.schedule(() -> firstSecond[0] = fleet429s.getAsLong(), 1, TimeUnit.SECONDS);
            ConcurrentHashMap<Integer, AtomicInteger> statuses = load(g, requests, 32);
            sampler.shutdownNow();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            long throttled = fleet429s.getAsLong();
            long ptuServed = g.stream().mapToLong(x -> {
                BackendState p = x.backendStates().get("ptu");
                return p.sent() - p.throttledCount();
            }).sum();
            received[share ? 1 : 0] += throttled;
            report(String.format(Locale.ROOT, "ptu-saturation replicas=3 proactive=%s share-learning=%s: requests=%d "
                    + "in %d s 429s-received-by-spillway=%d (in the first second %d) ptu-served=%d client-statuses=%s",
                    proactive, share, requests, seconds, throttled, firstSecond[0], ptuServed, statuses));
            assertThat(statuses.keySet()).containsOnly(200);
            closeGateways();
            await(s.close());
        }
        return received;
    }

    private static String backend(String name, Simulator s) {
        return "    - { name: " + name + ", url: \"" + s.baseUrl() + "\", deployment: " + name
                + ", probe: { kind: none } }\n";
    }

    /** {@code count} chats, at most {@code concurrency} in flight, request i to gateway i mod 3. */
    private ConcurrentHashMap<Integer, AtomicInteger> load(List<GatewayServer> g, int count, int concurrency)
            throws Exception {
        ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(concurrency);
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Say something about spillways.\"}],"
                + "\"max_tokens\":100}";
        for (int i = 0; i < count; i++) {
            if (!slots.tryAcquire(60, TimeUnit.SECONDS)) throw new IllegalStateException("load stalled");
            URI uri = URI.create(g.get(i % g.size()).baseUrl()
                    + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("api-key", KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                statuses.computeIfAbsent(e != null ? -1 : r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                slots.release();
            });
        }
        if (!slots.tryAcquire(concurrency, 60, TimeUnit.SECONDS)) throw new IllegalStateException("load stalled");
        return statuses;
    }

    @Test
    void probesPerBackendPerMinuteWithAndWithoutSharing() throws Exception {
        double[] perMinute = new double[2];
        for (boolean share : new boolean[] {false, true}) {
            FakeBackend a = new FakeBackend(vertx, "a").start();
            FakeBackend b = new FakeBackend(vertx, "b").start();
            others.add(a);
            others.add(b);
            fleet(share, "  backends:\n"
                    + "    - { name: a, url: \"" + a.url() + "\", deployment: d, probe: { interval: 1s } }\n"
                    + "    - { name: b, url: \"" + b.url() + "\", deployment: d, probe: { interval: 1s } }\n"
                    + "  deployments: [ { name: gpt-4o, backends: [a, b] } ]\n");
            Thread.sleep(2_000);
            int before = a.probes.get() + b.probes.get();
            Thread.sleep(15_000);
            int probes = a.probes.get() + b.probes.get() - before;
            perMinute[share ? 1 : 0] = probes / 2.0 * 4;
            report(String.format(Locale.ROOT, "probes replicas=3 interval=1s share-learning=%s: "
                    + "%.1f probes per backend per minute (%d to 2 backends in 15 s)", share, probes / 2.0 * 4, probes));
            closeGateways();
        }
        assertThat(perMinute[1]).isLessThan(perMinute[0] / 2);
    }

    @Test
    void howLongACooldownTakesToReachTheOtherReplicas() throws Exception {
        FakeBackend a = new FakeBackend(vertx, "a").start();
        others.add(a);
        List<GatewayServer> g = fleet(true, "  backends: [ { name: a, url: \"" + a.url()
                + "\", deployment: d, probe: { kind: none } } ]\n  deployments: [ { name: gpt-4o, backends: [a] } ]\n");
        Thread.sleep(1_000);
        BackendState origin = g.get(0).backendStates().get("a");
        List<BackendState> others = List.of(g.get(1).backendStates().get("a"), g.get(2).backendStates().get("a"));
        long[] micros = new long[500];
        long until = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < micros.length; i++) {
            long mark = until + i + 1;
            long started = System.nanoTime();
            origin.throttled(mark, System.currentTimeMillis());
            while (others.stream().anyMatch(o -> o.coolingUntil() < mark)) {
                if (System.nanoTime() - started > 5_000_000_000L) throw new AssertionError("cooldown " + i + " never arrived");
                Thread.onSpinWait();
            }
            micros[i] = (System.nanoTime() - started) / 1000;
            Thread.sleep(2);
        }
        Arrays.sort(micros);
        report(String.format(Locale.ROOT, "propagation replicas=3 samples=%d: cooldown applied on both others "
                        + "p50=%.2fms p99=%.2fms max=%.2fms", micros.length, micros[micros.length / 2] / 1000.0,
                micros[micros.length * 99 / 100] / 1000.0, micros[micros.length - 1] / 1000.0));
        assertThat(micros[micros.length * 99 / 100]).isLessThan(100_000);
    }
}
