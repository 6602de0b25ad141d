package dev.spillway.gateway.testkit;

import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts gateways, fake backends and simulators on loopback for one test class and stops them after. */
public final class GatewayHarness {
    public static final String KEY = "sk-test-0123456789abcdef0123456789abcdef";
    public static final String KEYS = "  keys: [ { name: demo, key: " + KEY + ", app: chat } ]\n";
    public final Vertx vertx = Vertx.vertx();
    private final List<FakeBackend> backends = new ArrayList<>();
    private final List<GatewayServer> gateways = new ArrayList<>();
    private final List<Simulator> simulators = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public FakeBackend backend(String name) throws Exception {
        FakeBackend b = new FakeBackend(vertx, name).start();
        backends.add(b);
        return b;
    }

    /** A simulator on this harness's Vert.x (give it port 0), closed with the harness. */
    public Simulator simulator(SimulatorConfig config) throws Exception {
        Simulator s = Simulator.start(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        simulators.add(s);
        return s;
    }

    public GatewayServer gateway(String yaml) throws Exception {
        GatewayServer g = GatewayServer.start(vertx, Yaml.gateway(yaml), 1, Clock.systemUTC())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateways.add(g);
        return g;
    }

    public HttpResponse<String> chat(GatewayServer g, boolean stream, String... headers) throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":20"
                + (stream ? ",\"stream\":true" : "") + "}";
        return completions(g, body, headers);
    }

    /** POSTs {@code body} to deployment gpt-4o's chat completions with the test key, then {@code headers} (name, value...). */
    public HttpResponse<String> completions(GatewayServer g, String body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(g.baseUrl()
                        + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                .timeout(Duration.ofSeconds(20))
                .header("api-key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(GatewayServer g, String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(g.baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    public void close() throws Exception {
        for (GatewayServer g : gateways) g.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (Simulator s : simulators) s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        backends.forEach(FakeBackend::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
