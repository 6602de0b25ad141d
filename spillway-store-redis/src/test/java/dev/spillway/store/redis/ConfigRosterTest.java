package dev.spillway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.reload.ConfigFile;
import dev.spillway.gateway.reload.ConfigSource;
import dev.spillway.gateway.server.GatewayServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas on the real Redis compare the config they run: admin endpoint, metric, and a fix by reload. */
class ConfigRosterTest {
    private static final String ADMIN = "admin-0123456789abcdef";
    private final String prefix = "spw-fleet-roster-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Vertx vertx = Vertx.vertx();
    private final List<GatewayServer> gateways = new ArrayList<>();
    @TempDir
    Path dir;

    @BeforeAll
    static void redisIsUp() {
        LocalRedis.require();
    }

    @AfterEach
    void stop() throws Exception {
        for (GatewayServer g : gateways) g.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void replicasRunningDifferentFilesSeeItAndAReloadThatAlignsThemClearsIt() throws Exception {
        Path one = write("one.yaml", "# version 1");
        Path two = write("two.yaml", "# version 2");
        GatewayServer a = start(one);
        GatewayServer b = start(two);

        JsonNode fleet = await(b, f -> f.get("replicas").size() == 2);
        assertThat(fleet.get("shared").asBoolean()).isTrue();
        assertThat(fleet.get("same_config").asBoolean()).isFalse();
        assertThat(metric(b, "spillway_config_fleet_hashes")).isEqualTo(2.0);
        assertThat(metric(b, "spillway_config_fleet_replicas")).isEqualTo(2.0);

        Files.writeString(two, Files.readString(one));
        b.reloadConfig().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

        JsonNode after = await(b, f -> f.get("same_config").asBoolean());
        assertThat(after.get("replicas").size()).isEqualTo(2);
        assertThat(metric(b, "spillway_config_fleet_hashes")).isEqualTo(1.0);
        assertThat(a.config().deployments()).hasSize(1);
    }

    @Test
    void aRosterEntryThatIsNotRenewedExpires() throws Exception {
        try (RedisFleetChannel channel = new RedisFleetChannel(LocalRedis.URL, Duration.ofSeconds(2), prefix)) {
            channel.roster("config", "gone", "h1", Duration.ofMillis(100)).toCompletableFuture().join();
            Map<String, String> both = channel.roster("config", "alive", "h2", Duration.ofSeconds(30))
                    .toCompletableFuture().join();
            assertThat(both).containsEntry("alive", "h2");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Map<String, String> later = both;
            while (later.containsKey("gone") && System.nanoTime() < until) {
                Thread.sleep(20);
                later = channel.roster("config", "alive", "h2", Duration.ofSeconds(30)).toCompletableFuture().join();
            }
            assertThat(later).isEqualTo(Map.of("alive", "h2"));
        }
    }

    private Path write(String name, String comment) throws Exception {
        return Files.writeString(dir.resolve(name), """
                %s
                gateway:
                  port: 0
                  data-dir: "%s"
                  reload: { interval: 0s }
                  admin: { key: "%s" }
                  store: { type: redis, redis-url: "%s", key-prefix: "%s", share-learning: false }
                  backends: [ { name: a, url: "http://127.0.0.1:9", deployment: d, auth: none, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [a] } ]
                """.formatted(comment, dir.resolve(name + ".data"), ADMIN, LocalRedis.URL, prefix));
    }

    private GatewayServer start(Path file) throws Exception {
        ConfigFile source = new ConfigFile(file, Map.of(), root -> {
            GatewayConfig config = GatewayConfig.from(root.child("gateway"));
            root.throwIfInvalid();
            return config;
        });
        ConfigSource.Loaded first = source.load();
        GatewayServer g = GatewayServer.start(vertx, first.config(), 1, Clock.systemUTC()).toCompletionStage()
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        gateways.add(g);
        g.watch(source, first);
        return g;
    }

    /** Polls (bounded) {@code GET /admin/config} until its {@code fleet} section matches. */
    private JsonNode await(GatewayServer g, Predicate<JsonNode> done) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode fleet = fleet(g);
        while (!done.test(fleet) && System.nanoTime() < until) {
            Thread.sleep(50);
            fleet = fleet(g);
        }
        assertThat(done.test(fleet)).as("fleet section " + fleet).isTrue();
        return fleet;
    }

    private JsonNode fleet(GatewayServer g) throws Exception {
        return Json.MAPPER.readTree(get(g, "/admin/config")).get("fleet");
    }

    private double metric(GatewayServer g, String name) throws Exception {
        return get(g, "/metrics").lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1))).orElseThrow();
    }

    private String get(GatewayServer g, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + path)).header("api-key", ADMIN).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
