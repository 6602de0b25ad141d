package dev.spillway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.tls.LocalCa;
import dev.spillway.core.tls.TrustBundle;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ops stacks under {@code deploy/}: the Prometheus alert rules parse, have what an alert needs,
 * and name only metrics this gateway exports; the Grafana dashboard is valid JSON whose queries
 * name only those metrics. The metrics come from scraping {@code /metrics} of a gateway with every
 * exporter on (TLS, the ledger, budgets and budget warnings, the batch lane) after real traffic
 * through the simulator. {@code promtool check rules} runs too when promtool is installed.
 */
class OpsStackTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path RULES = DEPLOY.resolve("prometheus/spillway-alerts.yml");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/spillway-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b(spillway_[a-z0-9_]+)\\b");
    private static final String KEY = "sk-spw-ops-stack-test-0123456789abcdef";
    private static final String LIMITED = "sk-spw-ops-stack-limited-0123456789abc";
    private static final Vertx vertx = Vertx.vertx();
    private static HttpServer webhook;
    private static Set<String> exported;
    private static String scrape;

    @BeforeAll
    static void scrapeAGatewayWithEverythingOn() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        Simulator simulator = Stack.await(Simulator.start(vertx, SimulatorConfig.demo()));
        Path data = Files.createTempDirectory("spillway-ops");
        LocalCa ca = LocalCa.ensure(data.resolve("tls"), Clock.systemUTC());
        String yaml = """
                port: 0
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s/spillway.db" }
                tls: { cert-file: "%s", key-file: "%s" }
                forward-sim-headers: true
                keys:
                  - { name: ops, key: "%s", app: ops-app }
                  - { name: limited, key: "%s", app: limited-app }
                backends:
                  - { name: ptu, url: "%s", deployment: gpt-4o-ptu }
                  - { name: paygo, url: "%s", deployment: gpt-4o-paygo }
                deployments:
                  - { name: gpt-4o, backends: [ptu] }
                  - { name: gpt-4o-paygo, backends: [paygo] }
                prices: [ { backend: ptu, ptu-monthly-usd: 20000, ptu-monthly-tokens: 4000000000 } ]
                limits:
                  apps:
                    - { name: ops-app, budget-per-month-usd: 0.005 }
                    - { name: limited-app, requests-per-minute: 1 }
                budget-alerts:
                  thresholds-percent: [1]
                  check-interval: 200ms
                  webhooks: [ { name: ops, url: "http://127.0.0.1:%d/hook" } ]
                """.formatted(data, data, ca.certFile(), ca.keyFile(), KEY, LIMITED, simulator.baseUrl(),
                simulator.baseUrl(), webhook.getAddress().getPort());
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        GatewayServer gateway = Stack.await(GatewayServer.start(vertx, config, 1, Clock.systemUTC()));
        HttpClient http = HttpClient.newBuilder().sslContext(TrustBundle.sslContext(ca.caFile())).build();
        // Traffic that makes every lazily registered series appear: a PTU call over 1 % of the budget
        // (a budget warning), a pay-as-you-go call (backend-reported quota), a backend 429, a 429 of
        // the gateway's own, and a call without a key.
        assertThat(chat(http, gateway, "gpt-4o", KEY, Map.of()).statusCode()).isEqualTo(200);
        assertThat(chat(http, gateway, "gpt-4o-paygo", KEY, Map.of()).statusCode()).isEqualTo(200);
        assertThat(chat(http, gateway, "gpt-4o-paygo", KEY, Map.of("x-sim-status", "429")).statusCode()).isEqualTo(429);
        chat(http, gateway, "gpt-4o-paygo", LIMITED, Map.of());
        assertThat(chat(http, gateway, "gpt-4o-paygo", LIMITED, Map.of()).statusCode()).isEqualTo(429);
        assertThat(chat(http, gateway, "gpt-4o", "", Map.of()).statusCode()).isEqualTo(401);
        String text = "";
        for (int i = 0; i < 200 && !text.contains("spillway_budget_alerts_total"); i++) { // the warning's delivery
            if (i > 0) Thread.sleep(50);
            text = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        scrape = text;
        exported = families(text);
    }

    private static HttpResponse<String> chat(HttpClient http, GatewayServer gateway, String deployment, String key,
            Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/openai/deployments/"
                        + deployment + "/chat/completions?api-version=2024-10-21"))
                .header("content-type", "application/json");
        if (!key.isEmpty()) b.header("api-key", key);
        headers.forEach(b::header);
        return http.send(b.POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"max_tokens\":8}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        webhook.stop(0);
    }

    /** The sample names each exported family can appear under: counters add _total, histograms _bucket/_sum/_count. */
    static Set<String> families(String exposition) {
        Set<String> names = new TreeSet<>();
        Matcher type = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(exposition);
        while (type.find()) {
            String name = type.group(1);
            names.add(name);
            switch (type.group(2)) {
                case "counter" -> names.add(name.endsWith("_total") ? name : name + "_total");
                case "histogram" -> names.addAll(List.of(name + "_bucket", name + "_sum", name + "_count"));
                case "summary" -> names.addAll(List.of(name + "_sum", name + "_count"));
                default -> { }
            }
        }
        return names;
    }

    @Test
    void theScrapeHasTheMetricsTheAlertsAreAbout() {
        assertThat(exported).contains("spillway_budget_used_ratio", "spillway_budget_alerts_total", "spillway_backend_utilization",
                "spillway_backend_breaker_state", "spillway_requests_total", "spillway_ledger_spool_bytes",
                "spillway_ledger_drain_failures", "spillway_tls_certificate_expiry_timestamp_seconds",
                "spillway_config_fleet_hashes", "spillway_config_fleet_replicas");
        // The local CA's server certificate lasts a year: its expiry is months ahead, not NaN or 0.
        Matcher expiry = Pattern.compile("(?m)^spillway_tls_certificate_expiry_timestamp_seconds(?:\\{[^}]*})? (\\S+)$")
                .matcher(scrape);
        assertThat(expiry.find()).isTrue();
        double days = (Double.parseDouble(expiry.group(1)) - System.currentTimeMillis() / 1000.0) / 86400;
        assertThat(days).isBetween(300.0, 400.0);
    }

    @Test
    void everyAlertRuleParsesAndNamesOnlyExportedMetrics() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        Set<String> alerts = new HashSet<>();
        Set<String> named = new TreeSet<>();
        for (JsonNode group : rules.get("groups")) {
            assertThat(group.get("name").asText()).isNotBlank();
            for (JsonNode rule : group.get("rules")) {
                String alert = rule.get("alert").asText();
                assertThat(alerts.add(alert)).as("alert names are unique: " + alert).isTrue();
                assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("warning", "critical");
                assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
                if (rule.has("for")) assertThat(rule.get("for").asText()).as(alert).matches("[0-9]+[smh]");
                String expr = rule.get("expr").asText();
                Set<String> metrics = metricsIn(expr);
                assertThat(metrics).as(alert + " names a gateway metric").isNotEmpty();
                named.addAll(metrics);
            }
        }
        assertThat(named).as("metrics named by the alert rules").isSubsetOf(exported);
        assertThat(alerts).contains("SpillwayBudgetNearlySpent", "SpillwayPtuSaturated", "SpillwayBreakerOpen",
                "SpillwayHigh5xxRate", "SpillwayLedgerSpoolBacklog", "SpillwayCertificateExpiresSoon",
                "SpillwayReplicasRunDifferentConfigs");
    }

    @Test
    void everyDashboardQueryNamesOnlyExportedMetrics() throws Exception {
        JsonNode dashboard = Json.MAPPER.readTree(DASHBOARD.toFile());
        Set<Integer> ids = new HashSet<>();
        Set<String> named = new TreeSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
            for (JsonNode target : panel.path("targets")) {
                queries++;
                assertThat(target.at("/datasource/uid").asText()).isEqualTo("${datasource}");
                named.addAll(metricsIn(target.get("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.has("definition")) named.addAll(metricsIn(variable.get("definition").asText()));
        }
        assertThat(queries).isGreaterThan(15);
        assertThat(named).as("metrics named by the dashboard").isSubsetOf(exported);
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Requirements.require(Requirements.commandWorks("promtool", "--version"),
                "promtool is not installed (apt-get install prometheus): the rules were only parsed, not type-checked");
        Process check = new ProcessBuilder("promtool", "check", "rules", RULES.toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS");
    }

    private static Set<String> metricsIn(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) out.add(m.group(1));
        return out;
    }

}
