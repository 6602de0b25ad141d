package dev.spillway.store.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.batch.QueuedRequest;
import dev.spillway.gateway.batch.RabbitConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue port on the real RabbitMQ: holding, answering, putting back, a dead consumer, two consumers at once. */
class RabbitRequestQueueTest {
    static final String DEPLOYMENT = "gpt-4o";
    RabbitConfig config;
    Connection app;
    Channel channel;
    String replies;
    final List<RabbitRequestQueue> opened = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        LocalRabbit.require();
        config = LocalRabbit.config(Optional.empty());
        app = LocalRabbit.connect();
        channel = app.createChannel();
        channel.confirmSelect(); // an app publishing with confirms: a confirmed request is in its queue
        replies = channel.queueDeclare().getQueue();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (config == null) return;
        opened.forEach(RabbitRequestQueue::close);
        app.close();
        LocalRabbit.cleanUp(config, DEPLOYMENT);
    }

    RabbitRequestQueue gateway() throws Exception {
        RabbitRequestQueue q = RabbitRequestQueue.open(config, Set.of(DEPLOYMENT));
        opened.add(q);
        return q;
    }

    void publish(String correlationId, Map<String, Object> headers, String type) throws Exception {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo(replies).correlationId(correlationId)
                .type(type).headers(headers).deliveryMode(2).build();
        channel.basicPublish(config.exchange(), DEPLOYMENT, props,
                ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + correlationId + "\"}]}").getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    @Test
    void aTakenRequestIsHeldByItsTakerAloneAndAnsweredOnItsReplyQueueWithItsCorrelationId() throws Exception {
        RabbitRequestQueue one = gateway();
        RabbitRequestQueue two = gateway();
        publish("req-1", Map.of("api-key", "sk-spw-app-key"), null);

        List<QueuedRequest> taken = one.take(DEPLOYMENT, 5);
        assertThat(taken).singleElement().satisfies(r -> {
            assertThat(r.endpoint()).isEqualTo("/v1/chat/completions");
            assertThat(r.apiKey()).contains("sk-spw-app-key");
            assertThat(r.correlationId()).contains("req-1");
            assertThat(r.attempts()).isZero();
            assertThat(Json.MAPPER.readTree(r.body()).path("model").asText()).isEqualTo(DEPLOYMENT);
        });
        assertThat(two.take(DEPLOYMENT, 5)).as("held by the first gateway").isEmpty();

        one.answer(taken.get(0), new QueuedRequest.Answer(200, "0193-req", "{\"id\":\"chatcmpl-1\"}"));
        GetResponse reply = channel.basicGet(replies, true);
        assertThat(reply).isNotNull();
        assertThat(reply.getProps().getCorrelationId()).isEqualTo("req-1");
        assertThat(reply.getProps().getHeaders()).containsEntry("status", 200);
        assertThat(reply.getProps().getHeaders().get("x-spillway-request-id").toString()).isEqualTo("0193-req");
        assertThat(new String(reply.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"chatcmpl-1\"}");
        assertThat(two.take(DEPLOYMENT, 5)).as("answered requests are gone").isEmpty();
        assertThat(one.take(DEPLOYMENT, 5)).isEmpty();
    }

    @Test
    void aRequestPutBackGoesBehindTheWaitingOnesWithOneMoreAttempt() throws Exception {
        RabbitRequestQueue q = gateway();
        publish("first", Map.of(), "/v1/embeddings");
        QueuedRequest first = q.take(DEPLOYMENT, 1).get(0);
        publish("second", Map.of(), null);
        q.putBack(first);
        List<QueuedRequest> next = q.take(DEPLOYMENT, 5);
        assertThat(next).extracting(r -> r.correlationId().orElseThrow()).containsExactly("second", "first");
        assertThat(next.get(1).attempts()).isEqualTo(1);
        assertThat(next.get(1).endpoint()).isEqualTo("/v1/embeddings");
        assertThat(next.get(1).replyTo()).contains(replies);
    }

    @Test
    void aRequestWhoseAnswerTheBrokerRefusesGoesBackToItsQueueAtOnce() throws Exception {
        RabbitRequestQueue q = gateway();
        String full = channel.queueDeclare("", false, true, true, Map.of("x-max-length", 0,
                "x-overflow", "reject-publish")).getQueue(); // the broker nacks whatever is published to it
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo(full).correlationId("refused").build();
        channel.basicPublish(config.exchange(), DEPLOYMENT, props, "{}".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
        QueuedRequest taken = q.take(DEPLOYMENT, 1).get(0);
        assertThatThrownBy(() -> q.answer(taken, new QueuedRequest.Answer(200, "id", "{}"))).isInstanceOf(Exception.class);
        List<QueuedRequest> again = q.take(DEPLOYMENT, 1);
        assertThat(again).as("returned, not held for the life of the connection").singleElement()
                .satisfies(r -> assertThat(r.correlationId()).contains("refused"));
        QueuedRequest elsewhere = new QueuedRequest(again.get(0).deployment(), again.get(0).endpoint(), again.get(0).body(),
                again.get(0).apiKey(), Optional.of(replies), again.get(0).correlationId(), 0, again.get(0).handle());
        q.answer(elsewhere, new QueuedRequest.Answer(200, "id", "{}"));
        assertThat(channel.basicGet(replies, true)).as("the refused publish closed the channel; it was reopened")
                .isNotNull();
        assertThat(q.take(DEPLOYMENT, 1)).isEmpty();
    }

    @Test
    void requestsHeldByAGatewayThatDiesGoToAnother() throws Exception {
        RabbitRequestQueue dying = gateway();
        RabbitRequestQueue survivor = gateway();
        publish("a", Map.of(), null);
        publish("b", Map.of(), null);
        assertThat(dying.take(DEPLOYMENT, 5)).hasSize(2);
        assertThat(survivor.take(DEPLOYMENT, 5)).isEmpty();
        dying.close(); // its connection goes, as with kill -9
        List<QueuedRequest> again = new ArrayList<>();
        for (int i = 0; i < 50 && again.size() < 2; i++) {
            again.addAll(survivor.take(DEPLOYMENT, 5));
            if (again.size() < 2) Thread.sleep(20);
        }
        assertThat(again).extracting(r -> r.correlationId().orElseThrow()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void twoGatewaysTakingAtOnceNeverGetTheSameRequest() throws Exception {
        int n = 300;
        List<RabbitRequestQueue> gateways = List.of(gateway(), gateway());
        for (int i = 0; i < n; i++) publish("r-" + i, Map.of(), null);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        List<String> dup = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (RabbitRequestQueue g : gateways) counts.add(pool.submit(() -> {
                int mine = 0;
                for (int round = 0; round < 1000; round++) {
                    List<QueuedRequest> taken = g.take(DEPLOYMENT, 4);
                    if (taken.isEmpty() && seen.size() == n) break;
                    for (QueuedRequest r : taken) {
                        if (seen.put(r.correlationId().orElseThrow(), 1) != null) dup.add(r.correlationId().get());
                        g.answer(r, new QueuedRequest.Answer(200, "id", "{}"));
                        mine++;
                    }
                }
                return mine;
            }));
            int total = 0;
            for (Future<Integer> c : counts) {
                int mine = c.get(60, TimeUnit.SECONDS);
                assertThat(mine).as("both gateways took work").isPositive();
                total += mine;
            }
            assertThat(dup).isEmpty();
            assertThat(total).isEqualTo(n);
            assertThat(seen).hasSize(n);
        } finally {
            pool.shutdownNow();
        }
        int replies = 0;
        while (channel.basicGet(this.replies, true) != null) replies++;
        assertThat(replies).isEqualTo(n);
    }
}
