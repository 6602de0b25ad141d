package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a simulator on port 0 with its own Vert.x and talks to it with java.net.http. One per test
 * class (or test); close it when done.
 */
final class SimHarness implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final Simulator simulator;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    SimHarness(SimulatorConfig config, InstantSource clock) {
        this.simulator = await(Simulator.start(vertx, config.withEventLoops(1), clock));
    }

    SimHarness(SimulatorConfig config) {
        this(config, InstantSource.system());
    }

    /** A simulator with one legacy-completions deployment, {@code instruct} (gpt-35-turbo-instruct). */
    static SimHarness instruct() {
        return new SimHarness(SimulatorConfig.demo().withDeployments(java.util.List.of(
                DeploymentConfig.payAsYouGo("instruct", "gpt-35-turbo-instruct-0914", 240_000))), new FakeClock());
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> chat(String deployment, String body, String... headers) {
        return send(post("/openai/deployments/" + deployment + "/chat/completions?api-version=2024-10-21", body,
                headers));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path)).timeout(Duration.ofSeconds(20)));
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    /** The JSON payloads of an SSE body's {@code data:} lines, {@code [DONE]} included as text. */
    static List<String> frames(String sse) {
        List<String> out = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            if (block.startsWith("data: ")) out.add(block.substring(6));
        }
        return out;
    }

    @Override
    public void close() {
        await(simulator.close());
        await(vertx.close());
    }
}
