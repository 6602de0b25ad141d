package dev.spillway.store.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.batch.RabbitConfig;
import dev.spillway.gateway.ledger.SpoolUsageLedger;
import dev.spillway.gateway.ledger.UsageRecord;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message-queue way in end to end: two gateways on one RabbitMQ exchange (the real server),
 * requests published with an app key or none (the configured identity), answers on the reply
 * queue; every request runs once, in the batch class, priced and ledgered.
 */
class MessageLaneTest {
    static final String KEY = "sk-spw-message-lane-0123456789abc";
    @TempDir
    Path data;
    Vertx vertx;
    FakeBackend backend;
    RabbitConfig config;
    final List<GatewayServer> gateways = new ArrayList<>();
    Connection app;
    Channel channel;
    String replies;

    @BeforeEach
    void start() throws Exception {
        LocalRabbit.require();
        config = LocalRabbit.config(Optional.empty());
        vertx = Vertx.vertx();
        backend = FakeBackend.started(vertx);
        backend.responder = (req, body) -> {
            String said = body.toString().replaceAll("(?s).*\"content\":\"([^\"]*)\".*", "$1");
            req.response().putHeader("content-type", "application/json").end("{\"id\":\"c\",\"object\":\"chat.completion\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"echo " + said + "\"}}],"
                    + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}");
        };
        for (String name : List.of("one", "two")) gateways.add(gateway(name));
        app = LocalRabbit.connect();
        channel = app.createChannel();
        channel.confirmSelect();
        replies = channel.queueDeclare().getQueue();
    }

    GatewayServer gateway(String name) throws Exception {
        String yaml = """
                gateway:
                  port: 0
                  data-dir: "%s/%s"
                  database: { url: "jdbc:sqlite:%s/%s.db" }
                  keys: [ { name: reports-key, key: "%s", app: reports, team: finance } ]
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                  prices: [ { backend: ptu, input-per-1m: 2, output-per-1m: 8, batch-discount-percent: 50 } ]
                  batch:
                    poll-interval: 1h
                    max-in-flight: 3
                    min-in-flight: 3
                    rabbitmq: { uri: "%s", exchange: "%s", identity: { app: nightly, team: ops } }
                """.formatted(data, name, data, name, KEY, backend.url(), LocalRabbit.URI, config.exchange());
        return await(GatewayServer.start(vertx, Yaml.gateway(yaml), 1, new FakeClock()));
    }

    @AfterEach
    void stop() throws Exception {
        if (config == null) return;
        for (GatewayServer g : gateways) g.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        app.close();
        LocalRabbit.cleanUp(config, "gpt-4o");
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    void publish(String correlationId, Optional<String> key) throws Exception {
        Map<String, Object> headers = new HashMap<>();
        key.ifPresent(k -> headers.put("api-key", k));
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo(replies).correlationId(correlationId)
                .contentType("application/json").headers(headers).deliveryMode(2).build();
        channel.basicPublish(config.exchange(), "gpt-4o", props, ("{\"messages\":[{\"role\":\"user\",\"content\":\""
                + correlationId + "\"}],\"max_tokens\":16}").getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    /** Runs rounds on both gateways until {@code n} answers are on the reply queue (at most 60 rounds each). */
    Map<String, GetResponse> answers(int n) throws Exception {
        Map<String, GetResponse> got = new HashMap<>();
        for (int round = 0; round < 60 && got.size() < n; round++) {
            await(Future.join(gateways.get(0).batchLane().tick(), gateways.get(1).batchLane().tick()));
            for (GetResponse r = channel.basicGet(replies, true); r != null; r = channel.basicGet(replies, true)) {
                assertThat(got.put(r.getProps().getCorrelationId(), r)).as("one answer per request").isNull();
            }
        }
        return got;
    }

    @Test
    void twoGatewaysShareTheQueueAndRunEachRequestOnceAsItsAppInTheBatchClass() throws Exception {
        for (int i = 0; i < 20; i++) publish("keyed-" + i, Optional.of(KEY));
        for (int i = 0; i < 10; i++) publish("identity-" + i, Optional.empty());
        publish("bad-key", Optional.of("sk-spw-not-a-key-0000000000000000"));

        Map<String, GetResponse> answers = answers(31);
        assertThat(answers).hasSize(31);
        assertThat(backend.received).as("each request ran once").hasSize(30);
        GetResponse refused = answers.get("bad-key");
        assertThat(refused.getProps().getHeaders()).containsEntry("status", 401);
        assertThat(Json.MAPPER.readTree(refused.getBody()).path("error").path("code").asText()).isEqualTo("401");

        GetResponse keyed = answers.get("keyed-7");
        assertThat(keyed.getProps().getHeaders()).containsEntry("status", 200);
        assertThat(Json.MAPPER.readTree(keyed.getBody()).path("choices").path(0).path("message").path("content").asText())
                .isEqualTo("echo keyed-7");
        assertThat(ledgerRow(keyed)).extracting(UsageRecord::app, UsageRecord::priority, UsageRecord::costNanos,
                UsageRecord::batchDiscountNanos).containsExactly("reports", "batch", 18_000L, 18_000L);
        assertThat(ledgerRow(answers.get("identity-3"))).extracting(UsageRecord::app, UsageRecord::team)
                .containsExactly("nightly", "ops");
    }

    /** The ledger row of an answered request, from whichever gateway ran it. */
    UsageRecord ledgerRow(GetResponse answer) throws Exception {
        String id = answer.getProps().getHeaders().get("x-spillway-request-id").toString();
        for (int i = 0; i < 200; i++) {
            for (GatewayServer g : gateways) {
                assertThat(((SpoolUsageLedger) g.accounting().ledger()).awaitDrained(Duration.ofSeconds(10))).isTrue();
            }
            for (String name : List.of("one", "two")) {
                try (Database db = Database.open("jdbc:sqlite:" + data.resolve(name + ".db"), Optional.empty(),
                        Optional.empty(), 2)) {
                    Optional<UsageRecord> row = new JdbcUsageStore(db).find(id);
                    if (row.isPresent()) return row.get();
                }
            }
            Thread.sleep(25); // the record is appended just after the answer is complete
        }
        throw new AssertionError("no ledger row for " + id);
    }

    @Test
    void aMessageWithoutAKeyOrAnIdentityOrWithAnUnknownEndpointIsRefusedAndCallsNoBackend() throws Exception {
        for (GatewayServer g : gateways) g.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateways.clear();
        String yaml = """
                gateway:
                  port: 0
                  data-dir: "%s/three"
                  database: { url: "jdbc:sqlite:%s/three.db" }
                  keys: [ { name: reports-key, key: "%s", app: reports } ]
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                  batch: { poll-interval: 1h, rabbitmq: { uri: "%s", exchange: "%s" } }
                """.formatted(data, data, KEY, backend.url(), LocalRabbit.URI, config.exchange());
        gateways.add(await(GatewayServer.start(vertx, Yaml.gateway(yaml), 1, new FakeClock())));
        publish("anonymous", Optional.empty());
        AMQP.BasicProperties images = new AMQP.BasicProperties.Builder().replyTo(replies).correlationId("images")
                .type("/v1/images/generations").headers(Map.of("api-key", KEY)).build();
        channel.basicPublish(config.exchange(), "gpt-4o", images, "{\"prompt\":\"a cat\"}".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
        Map<String, GetResponse> answers = new HashMap<>();
        for (int round = 0; round < 60 && answers.size() < 2; round++) {
            await(gateways.get(0).batchLane().tick());
            for (GetResponse r = channel.basicGet(replies, true); r != null; r = channel.basicGet(replies, true)) {
                answers.put(r.getProps().getCorrelationId(), r);
            }
        }
        assertThat(answers.get("anonymous").getProps().getHeaders()).containsEntry("status", 401);
        assertThat(new String(answers.get("anonymous").getBody(), StandardCharsets.UTF_8)).contains("no api-key header");
        assertThat(answers.get("images").getProps().getHeaders()).containsEntry("status", 400);
        assertThat(new String(answers.get("images").getBody(), StandardCharsets.UTF_8)).contains("invalid_url");
        assertThat(backend.received).isEmpty();
    }
}
