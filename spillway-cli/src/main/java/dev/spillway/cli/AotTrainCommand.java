package dev.spillway.cli;

import dev.spillway.gateway.reload.ConfigFile;
import dev.spillway.gateway.reload.ConfigSource;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The training run for the JDK's ahead-of-time cache (JEP 483/514): starts the simulator and the
 * gateway in-process, sends them the usual traffic on loopback, and exits normally so the JVM
 * writes the cache. The launcher runs it after a build on JDK 25+; starts then load linked classes
 * and their profiles from the cache. A class the training run never loads is loaded cold at start,
 * so the gateway reads its config from a file as {@code spillway gateway} does and runs every layer
 * a production config turns on (benchmarks/overhead/gateway-full.yaml: key auth, app limits with a
 * price, the fsync'd ledger, metrics, traces, audit metadata); docs/benchmarks.md, "Cold start".
 */
@Command(name = "aot-train", hidden = true, mixinStandardHelpOptions = true,
        description = "Exercise gateway and simulator once, for -XX:AOTCacheOutput (used by ./spillway build).")
final class AotTrainCommand implements Callable<Integer> {
    private static final String KEY = "sk-spw-aot-training-0123456789abcdef";

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Lifecycle.vertx();
        Path scratch = null;
        try {
            Simulator simulator = Lifecycle.await(Simulator.start(vertx, SimulatorConfig.demo()), "the simulator", 0);
            scratch = Files.createTempDirectory("spillway-aot");
            Path file = scratch.resolve("gateway.yaml");
            Files.writeString(file, config(simulator.baseUrl(), scratch));
            ConfigFile source = GatewayCommand.configFile(file);
            ConfigSource.Loaded first = source.load();
            GatewayServer gateway = Lifecycle.await(GatewayServer.start(vertx, first.config(), 1,
                    Clock.systemUTC()), "the gateway", 0);
            gateway.watch(source, first);
            HttpClient client = vertx.createHttpClient();
            for (int round = 0; round < 50; round++) Lifecycle.await(Future.all(traffic(client, gateway.port())), "training", 0);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
            if (scratch != null) deleteTree(scratch);
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
        calls.add(client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
                .compose(r -> r.send().compose(HttpClientResponse::body)));
        return calls;
    }

    private static Future<Buffer> post(HttpClient client, int port, String path, String body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(path).putHeader("api-key", KEY).putHeader("content-type", "application/json");
        return client.request(options).compose(r -> r.send(body).compose(HttpClientResponse::body));
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Every layer of benchmarks/overhead/gateway-full.yaml, with limits far above the training traffic. */
    private static String config(String simulatorUrl, Path dataDir) {
        return """
                gateway:
                  port: 0
                  data-dir: "%1$s"
                  database: { url: "jdbc:sqlite:%1$s/training.db" }
                  ledger: { enabled: true, fsync: true }
                  telemetry: { metrics: true, traces: true, sampling-ratio: 1.0 }
                  audit: { mode: metadata }
                  keys: [ { name: aot, key: "%2$s", app: aot, team: aot } ]
                  limits:
                    apps: [ { name: aot, requests-per-minute: 1000000, tokens-per-minute: 1000000000 } ]
                  prices:
                    - { backend: ptu, input-per-1m: 0.15, output-per-1m: 0.60 }
                  backends:
                    - { name: ptu, url: "%3$s", deployment: gpt-4o-ptu }
                    - { name: embeddings, url: "%3$s", deployment: text-embedding-3-small }
                  deployments:
                    - { name: gpt-4o, backends: [ptu] }
                    - { name: text-embedding-3-small, backends: [embeddings] }
                """.formatted(dataDir, KEY, simulatorUrl);
    }
}
