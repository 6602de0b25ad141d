package dev.spillway.gateway.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.testkit.Yaml;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** budget-alerts wired into a running gateway: traffic priced by the ledger warns a loopback receiver. */
class BudgetAlertsGatewayTest {
    private static final String KEY = "sk-spw-budget-alerts-test-0123456789";
    @TempDir
    Path data;
    private Vertx vertx;
    private FakeBackend backend;
    private WebhookReceiver receiver;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = FakeBackend.started(vertx);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        receiver.close();
    }

    private String yaml(String outboundHosts) {
        return """
                gateway:
                  port: 0
                  data-dir: "%s"
                  database: { url: "jdbc:sqlite:%s/spillway.db" }
                  keys: [ { name: chat-key, key: "%s", app: chat } ]
                  backends: [ { name: primary, url: "%s", deployment: gpt-4o } ]
                  deployments: [ { name: gpt-4o, backends: [primary] } ]
                  prices: [ { backend: primary, input-per-1m: 1000, output-per-1m: 1000 } ]
                  limits: { apps: [ { name: chat, budget-per-month-usd: 2 } ] }
                  safety: { outbound-hosts: [%s] }
                  budget-alerts:
                    check-interval: 100ms
                    webhooks: [ { name: ops, url: "%s", format: slack } ]
                """.formatted(data, data, KEY, backend.url(), outboundHosts, receiver.url());
    }

    @Test
    void spendPastHalfTheBudgetPostsOneWarning() throws Exception {
        backend.responder = (req, body) -> req.response().putHeader("content-type", "application/json")
                .end("{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}");
        GatewayConfig config = Yaml.gateway(yaml("\"127.0.0.1\""));
        gateway = GatewayServer.start(vertx, config, 1, Clock.systemUTC()).toCompletionStage().toCompletableFuture().get();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/v1/chat/completions")).header("api-key", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"max_tokens\":10,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // 1,100 tokens at $1,000 per million: $1.10 of $2, 55 %.
        for (int i = 0; i < 200 && receiver.accepted().isEmpty(); i++) Thread.sleep(50);
        Thread.sleep(500); // a few more checks: none may post again
        assertThat(receiver.accepted()).singleElement().satisfies(p -> {
            assertThat(p.body().get("text").asText()).contains("has spent $1.10 of its $2.00 budget");
            assertThat(p.idempotencyKey()).endsWith("/50/ops").startsWith("chat/");
        });
    }

    @Test
    void aWebhookHostOutsideTheOutboundAllowListIsAConfigError() {
        assertThatThrownBy(() -> Yaml.gateway(yaml("\"*.openai.azure.com\"")))
                .hasMessageContaining("budget-alerts.webhooks[0].url")
                .hasMessageContaining("host '127.0.0.1' is not in safety.outbound-hosts");
    }
}
