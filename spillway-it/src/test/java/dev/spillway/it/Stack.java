package dev.spillway.it;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real thing on loopback for tests: the simulator with the demo deployments plus a tiny
 * pay-as-you-go one, and a gateway on port 0 in front of it. {@code gpt-4o} is PTU first with
 * pay-as-you-go spillover, as under {@code spillway up}. One per test class.
 */
final class Stack implements AutoCloseable {
    static final String KEY = "sk-spw-test-0123456789abcdef0123456789";
    static final String TINY = "tiny";

    final Vertx vertx = Vertx.vertx();
    final Simulator simulator;
    final GatewayServer gateway;

    Stack() throws Exception {
        List<DeploymentConfig> deployments = new ArrayList<>(SimulatorConfig.demo().deployments());
        deployments.add(DeploymentConfig.payAsYouGo("tiny-paygo", "gpt-4o-2024-11-20", 1000));
        simulator = await(Simulator.start(vertx, SimulatorConfig.demo().withDeployments(deployments)));
        String url = simulator.baseUrl();
        java.nio.file.Path data = Files.createTempDirectory("spillway-it");
        String yaml = """
                port: 0
                forward-sim-headers: true
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s/spillway.db" }
                keys: [ { name: it, key: "%s", app: it-app } ]
                backends:
                  - { name: ptu, url: "%s", deployment: gpt-4o-ptu, first-byte-timeout: 2s, idle-timeout: 1s }
                  - { name: paygo, url: "%s", deployment: gpt-4o-paygo }
                  - { name: embeddings, url: "%s", deployment: text-embedding-3-small }
                  - { name: tiny, url: "%s", deployment: tiny-paygo, first-byte-timeout: 2s }
                deployments:
                  - { name: gpt-4o, backends: [ptu, paygo] }
                  - { name: text-embedding-3-small, backends: [embeddings] }
                  - { name: %s, backends: [tiny] }
                """.formatted(data, data, KEY, url, url, url, url, TINY);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        gateway = await(GatewayServer.start(vertx, config, 2, Clock.systemUTC()));
    }

    String url() {
        return gateway.baseUrl();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
