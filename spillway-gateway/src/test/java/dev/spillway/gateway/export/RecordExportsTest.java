package dev.spillway.gateway.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway ships its usage and audit records to a loopback OTLP/HTTP receiver and to JSON-lines
 * files, once each record is durable in its own store.
 */
class RecordExportsTest {
    static final String KEY = "client-key-0123456789abcdef0123456789";
    final Vertx vertx = Vertx.vertx();
    /** What the receiver got: the path, the content type and the body as text (protobuf keeps strings verbatim). */
    final List<String[]> received = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    HttpServer receiver() throws Exception {
        return await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            received.add(new String[] {req.path(), req.getHeader("content-type"),
                    new String(body.getBytes(), StandardCharsets.ISO_8859_1)});
            req.response().putHeader("content-type", "application/x-protobuf").end();
        })).listen(0, "127.0.0.1"));
    }

    @Test
    void usageAndAuditRecordsReachTheCollectorAndTheFiles() throws Exception {
        Simulator sim = await(Simulator.start(vertx, SimulatorConfig.demo().withEventLoops(1)));
        HttpServer otlp = receiver();
        Path files = dir.resolve("export");
        GatewayServer gateway = await(GatewayServer.start(vertx, Yaml.gateway("""
                gateway:
                  port: 0
                  data-dir: "%s"
                  database: { url: "jdbc:sqlite:%s/spillway.db" }
                  keys: [ { name: test-app, key: "%s", app: billing } ]
                  audit: { mode: metadata }
                  export: { otlp-endpoint: "http://127.0.0.1:%d/v1/logs", dir: "%s" }
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                """.formatted(dir, dir, KEY, otlp.actualPort(), files, sim.baseUrl())), 1, Clock.systemUTC()));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                .header("api-key", KEY).header("content-type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String requestId = r.headers().firstValue("x-spillway-request-id").orElseThrow();
        await(gateway.close()); // flushes the exporters

        List<JsonNode> lines = Files.readAllLines(files.resolve(JsonLinesExport.FILE)).stream().map(RecordExportsTest::json).toList();
        assertThat(lines).extracting(l -> l.get("kind").asText()).containsExactlyInAnyOrder("usage", "audit");
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.get("id").asText()).isEqualTo(requestId);
            assertThat(l.get("app").asText()).isEqualTo("billing");
        });
        assertThat(lines.stream().filter(l -> l.get("kind").asText().equals("usage")).findFirst().orElseThrow()
                .get("deployment").asText()).isEqualTo("gpt-4o");

        assertThat(received).isNotEmpty();
        assertThat(received).allSatisfy(p -> {
            assertThat(p[0]).isEqualTo("/v1/logs");
            assertThat(p[1]).isEqualTo("application/x-protobuf");
        });
        String all = String.join("\n", received.stream().map(p -> p[2]).toList());
        assertThat(all).contains("spillway.usage", "spillway.audit", requestId, "\"app\":\"billing\"", "spillway-gateway");
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
