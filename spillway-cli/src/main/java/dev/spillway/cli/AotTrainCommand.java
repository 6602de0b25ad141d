package dev.spillway.cli;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The training run for the JDK's ahead-of-time cache (JEP 483/514): starts the simulator and the
 * gateway in-process, sends them the usual traffic on loopback, and exits normally so the JVM
 * writes the cache. The launcher runs it after a build on JDK 25+; starts then load linked classes
 * and their profiles from the cache.
 */
@Command(name = "aot-train", hidden = true, mixinStandardHelpOptions = true,
        description = "Exercise gateway and simulator once, for -XX:AOTCacheOutput (used by ./spillway build).")
final class AotTrainCommand implements Callable<Integer> {
    private static final String KEY = "sk-spw-aot-training-0123456789abcdef";

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Lifecycle.vertx();
        try {
            Simulator simulator = Lifecycle.await(Simulator.start(vertx, SimulatorConfig.demo()), "the simulator", 0);
            java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("spillway-aot");
            scratch.toFile().deleteOnExit();
            GatewayServer gateway = Lifecycle.await(GatewayServer.start(vertx, config(simulator.baseUrl(),
                    scratch.resolve("training.db")), 1,
                    Clock.systemUTC()), "the gateway", 0);
            HttpClient client = vertx.createHttpClient();
            for (int round = 0; round < 50; round++) Lifecycle.await(Future.all(traffic(client, gateway.port())), "training", 0);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        return 0;
    }

    private static List<Future<Buffer>> traffic(HttpClient client, int port) {
        String chat = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],\"max_tokens\":20";
        List<Future<Buffer>> calls = new ArrayList<>();
        calls.add(post(client, port, "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", chat + "}"));
        calls.add(post(client, port, "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                chat + ",\"stream\":true}"));
        calls.add(post(client, port, "/v1/chat/completions", chat + ",\"model\":\"gpt-4o\",\"stream\":true}"));
        calls.add(post(client, port, "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"aot\"}"));
        calls.add(post(client, port, "/v1/chat/completions", "{\"model\":\"nope\""));
        return calls;
    }

    private static Future<Buffer> post(HttpClient client, int port, String path, String body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(path).putHeader("api-key", KEY).putHeader("content-type", "application/json");
        return client.request(options).compose(r -> r.send(body).compose(HttpClientResponse::body));
    }

    private static GatewayConfig config(String simulatorUrl, java.nio.file.Path database) {
        String yaml = """
                port: 0
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s" }
                keys: [ { name: aot, key: "%s" } ]
                backends:
                  - { name: ptu, url: "%s", deployment: gpt-4o-ptu }
                  - { name: embeddings, url: "%s", deployment: text-embedding-3-small }
                deployments:
                  - { name: gpt-4o, backends: [ptu] }
                  - { name: text-embedding-3-small, backends: [embeddings] }
                """.formatted(database.getParent(), database, KEY, simulatorUrl, simulatorUrl);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        return config;
    }
}
