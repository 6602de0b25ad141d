package dev.spillway.cli;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A simulator (no latency) and a gateway in front of it on port 0, as {@code spillway up} wires
 * them, with the gateway's data and SQLite store in a test's temp dir and one key, {@link #KEY}.
 * Both run on the test's Vert.x and stop when it closes.
 */
final class LocalGateway {
    static final String KEY = "sk-spw-test-0123456789abcdef0123456789abcdef";

    private LocalGateway() {
    }

    /** Starts both and returns the gateway's URL; {@code extraYaml} is added to the gateway's top level. */
    static String start(Vertx vertx, Path dir, String extraYaml) throws Exception {
        Simulator sim = await(Simulator.start(vertx, SimulatorConfig.demo().withPort(0).withLatency(Latency.ZERO)));
        String yaml = """
                port: 0
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s" }
                keys: [ { name: test, key: "%s", app: test-app } ]
                backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu } ]
                deployments: [ { name: gpt-4o, backends: [ptu] } ]
                %s
                """.formatted(dir.resolve("gw"), dir.resolve("gw.db"), KEY, sim.baseUrl(), extraYaml);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        return await(GatewayServer.start(vertx, config, 1, Clock.systemUTC())).baseUrl();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
