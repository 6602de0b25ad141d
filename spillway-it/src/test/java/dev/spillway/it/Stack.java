package dev.spillway.it;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.tls.LocalCa;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Fault;
import dev.spillway.simulator.FaultKind;
import dev.spillway.simulator.FaultRule;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real thing on loopback for tests: the simulator with the demo deployments plus a tiny
 * pay-as-you-go one and an always-throttled one, and a gateway on port 0 in front of it, on plain
 * HTTP or on TLS. {@code gpt-4o} is PTU first with pay-as-you-go spillover, as under
 * {@code spillway up}. The gateway waits at most 500 ms for a throttled backend, so a 429 reaches
 * the client at once instead of after the gateway's own waits. One per test class.
 */
final class Stack implements AutoCloseable {
    static final String KEY = "sk-spw-test-0123456789abcdef0123456789";
    static final String TINY = "tiny";

    /** Whose every call is a 429 with {@code retry-after-ms: 100}, to watch an SDK retry. */
    static final String THROTTLED = "throttled";

    final Vertx vertx = Vertx.vertx();
    final Simulator simulator;
    final GatewayServer gateway;
    /** The local CA the gateway's certificate comes from, when it listens on TLS. */
    final Optional<LocalCa> tls;
    /** The gateway's data directory; its SQLite database is {@code spillway.db} there. */
    final java.nio.file.Path data;

    Stack() throws Exception {
        this(false);
    }

    /** With {@code tls}, the gateway serves HTTPS with a certificate from a fresh local CA. */
    Stack(boolean tls) throws Exception {
        List<DeploymentConfig> deployments = new ArrayList<>(SimulatorConfig.demo().deployments());
        deployments.add(DeploymentConfig.payAsYouGo("tiny-paygo", "gpt-4o-2024-11-20", 1000));
        deployments.add(DeploymentConfig.payAsYouGo("throttled-paygo", "gpt-4o-2024-11-20", 1_000_000));
        FaultRule throttle = new FaultRule(Optional.of("throttled-paygo"),
                new Fault(FaultKind.STATUS, 429, Duration.ofMillis(100)), 1.0);
        simulator = await(Simulator.start(vertx, SimulatorConfig.demo().withDeployments(deployments)
                .withFaults(List.of(throttle))));
        String url = simulator.baseUrl();
        data = Files.createTempDirectory("spillway-it");
        this.tls = tls ? Optional.of(LocalCa.ensure(data.resolve("tls"), Clock.systemUTC())) : Optional.empty();
        String listener = this.tls.map(ca -> "tls: { cert-file: \"%s\", key-file: \"%s\" }"
                .formatted(ca.certFile(), ca.keyFile())).orElse("");
        String yaml = """
                port: 0
                forward-sim-headers: true
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s/spillway.db" }
                %s
                keys: [ { name: it, key: "%s", app: it-app } ]
                routing: { max-cooldown-wait: 500ms }
                backends:
                  - { name: ptu, url: "%s", deployment: gpt-4o-ptu, first-byte-timeout: 2s, idle-timeout: 1s }
                  - { name: paygo, url: "%s", deployment: gpt-4o-paygo }
                  - { name: embeddings, url: "%s", deployment: text-embedding-3-small }
                  - { name: tiny, url: "%s", deployment: tiny-paygo, first-byte-timeout: 2s }
                  - { name: throttled, url: "%s", deployment: throttled-paygo }
                deployments:
                  - { name: gpt-4o, backends: [ptu, paygo] }
                  - { name: text-embedding-3-small, backends: [embeddings] }
                  - { name: %s, backends: [tiny] }
                  - { name: %s, backends: [throttled] }
                """.formatted(data, data, listener, KEY, url, url, url, url, url, TINY, THROTTLED);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        gateway = await(GatewayServer.start(vertx, config, 2, Clock.systemUTC()));
    }

    String url() {
        return gateway.baseUrl();
    }

    /** The PEM file of the CA to trust (TLS stacks only). */
    java.nio.file.Path caFile() {
        return tls.orElseThrow().caFile();
    }

    /**
     * How many requests for {@code deployment} the gateway answered with a status of class
     * {@code statusClass} ({@code 4xx}), from its
     * {@code /metrics} (each retry of an SDK is one more request), once at least {@code expected}
     * are counted or two seconds passed: a request is counted just after its last byte is sent.
     */
    long answered(String deployment, String statusClass, long expected) throws Exception {
        long seen = 0;
        for (int i = 0; i < 100 && seen < expected; i++) {
            if (i > 0) Thread.sleep(20);
            seen = answeredNow(deployment, statusClass);
        }
        return seen;
    }

    private long answeredNow(String deployment, String statusClass) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .sslContext(tls.isPresent() ? dev.spillway.core.tls.TrustBundle.sslContext(caFile())
                        : javax.net.ssl.SSLContext.getDefault()).build();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("spillway_requests_total\\{[^}]*deployment=\""
                + deployment + "\"[^}]*status=\"" + statusClass + "\"[^}]*} ([0-9.]+)").matcher(metrics);
        long total = 0;
        while (m.find()) total += (long) Double.parseDouble(m.group(1));
        return total;
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
