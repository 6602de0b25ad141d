package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Responses API through the gateway to the simulator: routed by {@code model}, to Azure's
 * {@code /openai/v1/responses} and to an OpenAI-style backend's {@code /responses}, streamed events
 * relayed untouched, and metered from the response's usage (whole) or {@code response.completed}.
 */
class ResponsesGatewayTest {
    static final String KEY = "client-key-0123456789abcdef0123456789";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static Vertx vertx;
    static GatewayServer gateway;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Simulator sim = Simulator.start(vertx, SimulatorConfig.demo().withEventLoops(1))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String yaml = """
                port: 0
                data-dir: "%s"
                keys: [ { name: test-app, key: "%s" } ]
                backends:
                  - { name: azure, url: "%s", deployment: gpt-4o-ptu }
                  - { name: openai, url: "%s/v1", api: openai, deployment: gpt-4o-paygo }
                  - { name: embeddings, url: "%s", deployment: text-embedding-3-small }
                deployments:
                  - { name: whole, backends: [azure] }
                  - { name: streamed, backends: [azure] }
                  - { name: openai-style, backends: [openai] }
                  - { name: embed, backends: [embeddings] }
                """.formatted(dir, KEY, sim.baseUrl(), sim.baseUrl(), sim.baseUrl());
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        gateway = GatewayServer.start(vertx, config, 1, Clock.systemUTC()).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("api-key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void wholeResponseIsRoutedByModelAndMeteredFromItsUsage() throws Exception {
        HttpResponse<String> r = post("/openai/v1/responses", "{\"model\":\"whole\",\"input\":\"Hello\",\"max_output_tokens\":5}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("object").asText()).isEqualTo("response");
        assertThat(body.at("/usage/output_tokens").asLong()).isEqualTo(5);
        assertThat(tokens("whole", "completion")).isEqualTo(5);
        assertThat(tokens("whole", "prompt")).isEqualTo(body.at("/usage/input_tokens").asLong()).isPositive();
    }

    @Test
    void streamedEventsPassUnchangedAndAreMeteredFromTheFinalEvent() throws Exception {
        HttpResponse<String> r = post("/v1/responses", "{\"model\":\"streamed\",\"input\":\"Hello\",\"stream\":true,\"max_output_tokens\":5}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        JsonNode finished = null;
        for (String block : r.body().split("\n\n")) {
            JsonNode event = Json.MAPPER.readTree(block.substring(block.indexOf("data: ") + 6));
            types.add(event.get("type").asText());
            // cut at max_output_tokens, the stream ends with response.incomplete, carrying the usage as completed does
            if (block.startsWith("event: response.incomplete\n")) finished = event;
        }
        assertThat(types).startsWith("response.created", "response.in_progress").endsWith("response.incomplete");
        assertThat(r.body()).as("the usage null of response.created is the backend's, left as it was")
                .contains("\"usage\":null");
        assertThat(finished).isNotNull();
        assertThat(tokens("streamed", "completion")).isEqualTo(finished.at("/response/usage/output_tokens").asLong())
                .isEqualTo(5);
        assertThat(tokens("streamed", "prompt")).isEqualTo(finished.at("/response/usage/input_tokens").asLong());
    }

    @Test
    void openAiStyleBackendGetsItsOwnModelNameOnItsResponsesPath() throws Exception {
        HttpResponse<String> r = post("/openai/v1/responses", "{\"model\":\"openai-style\",\"input\":\"Hello\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).get("model").asText()).isEqualTo("gpt-4o-2024-11-20");
    }

    @Test
    void azurePreviewRouteTakesTheDeploymentFromTheBody() throws Exception {
        HttpResponse<String> r = post("/openai/responses?api-version=2025-03-01-preview",
                "{\"model\":\"openai-style\",\"input\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).at("/output/0/type").asText()).isEqualTo("message");
    }

    @Test
    void deploymentRouteHasNoResponsesAndBadInputIsNamed() throws Exception {
        HttpResponse<String> none = post("/openai/deployments/whole/responses?api-version=2025-03-01-preview",
                "{\"input\":\"Hello\"}");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("/responses");
        HttpResponse<String> bad = post("/openai/v1/responses", "{\"model\":\"whole\",\"input\":42}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(bad.body()).at("/error/param").asText()).isEqualTo("input");
        HttpResponse<String> embeddings = post("/openai/v1/responses", "{\"model\":\"embed\",\"input\":\"x\"}");
        assertThat(embeddings.statusCode()).isEqualTo(400);
        assertThat(embeddings.body()).contains("OperationNotSupported");
    }

    /** The {@code spillway_tokens_total} of one deployment and type, once the request has completed. */
    static long tokens(String deployment, String type) throws Exception {
        Pattern line = Pattern.compile("spillway_tokens_total\\{[^}]*deployment=\"" + deployment + "\"[^}]*type=\""
                + type + "\"[^}]*} ([0-9.]+)");
        for (int i = 0; i < 100; i++) {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = line.matcher(metrics);
            if (m.find()) return (long) Double.parseDouble(m.group(1));
            Thread.sleep(20); // the ledger and metrics are written just after the reply's last byte
        }
        return -1;
    }
}
