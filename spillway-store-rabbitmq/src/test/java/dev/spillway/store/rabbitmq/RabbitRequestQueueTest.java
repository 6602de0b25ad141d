package dev.spillway.store.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.spillway.gateway.batch.QueuedRequest;
import dev.spillway.gateway.batch.RabbitConfig;
import dev.spillway.gateway.batch.RequestQueue;
import dev.spillway.gateway.batch.RequestQueueContract;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue port's contract on the real RabbitMQ, published to and read as an AMQP app would (with
 * publisher confirms), plus what is RabbitMQ's own: the {@code api-key} header, and an answer the
 * broker refuses.
 */
class RabbitRequestQueueTest extends RequestQueueContract {
    RabbitConfig config;
    Connection app;
    Channel channel;
    final List<RabbitRequestQueue> opened = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        LocalRabbit.require();
        config = LocalRabbit.config(Optional.empty());
        app = LocalRabbit.connect();
        channel = app.createChannel();
        channel.confirmSelect(); // an app publishing with confirms: a confirmed request is in its queue
    }

    @AfterEach
    void tearDown() throws Exception {
        if (config == null) return;
        opened.forEach(RabbitRequestQueue::close);
        app.close();
        LocalRabbit.cleanUp(config, GPT, MINI);
    }

    @Override
    protected RabbitRequestQueue gateway() throws Exception {
        RabbitRequestQueue q = RabbitRequestQueue.open(config, Set.of(GPT, MINI));
        opened.add(q);
        return q;
    }

    @Override
    protected String replyQueue() throws Exception {
        return channel.queueDeclare().getQueue();
    }

    @Override
    protected void publish(String deployment, String endpoint, String body, Optional<String> replyTo,
            String correlationId) throws Exception {
        publish(deployment, endpoint, body, replyTo, correlationId, Map.of());
    }

    void publish(String deployment, String endpoint, String body, Optional<String> replyTo, String correlationId,
            Map<String, Object> headers) throws Exception {
        if (opened.isEmpty()) gateway(); // the exchange and queues exist once a gateway has declared them
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo(replyTo.orElse(null))
                .correlationId(correlationId).type(endpoint).headers(new HashMap<>(headers)).deliveryMode(2).build();
        channel.basicPublish(config.exchange(), deployment, props, body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    @Override
    protected List<Answered> drain(String replyTo) throws Exception {
        List<Answered> got = new ArrayList<>();
        for (GetResponse r = channel.basicGet(replyTo, true); r != null; r = channel.basicGet(replyTo, true)) {
            Map<String, Object> h = r.getProps().getHeaders();
            got.add(new Answered(Optional.ofNullable(r.getProps().getCorrelationId()), ((Number) h.get("status")).intValue(),
                    h.get("x-spillway-request-id").toString(), new String(r.getBody(), StandardCharsets.UTF_8)));
        }
        return got;
    }

    @Override
    protected void dies(RequestQueue gateway) {
        gateway.close(); // its connection goes, as with kill -9
    }

    @Test
    void aMessageCarriesTheAppKeyOfItsHeaderAndTheDefaultEndpoint() throws Exception {
        RabbitRequestQueue q = gateway();
        publish(GPT, null, "{}", Optional.empty(), "keyed", Map.of("api-key", "sk-spw-app-key"));
        assertThat(q.take(GPT, 1)).singleElement().satisfies(r -> {
            assertThat(r.apiKey()).contains("sk-spw-app-key");
            assertThat(r.owner()).isEmpty();
            assertThat(r.endpoint()).isEqualTo("/v1/chat/completions");
        });
    }

    @Test
    void aRequestWhoseAnswerTheBrokerRefusesGoesBackToItsQueueAtOnce() throws Exception {
        RabbitRequestQueue q = gateway();
        String replies = replyQueue();
        String full = channel.queueDeclare("", false, true, true, Map.of("x-max-length", 0,
                "x-overflow", "reject-publish")).getQueue(); // the broker nacks whatever is published to it
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().replyTo(full).correlationId("refused").build();
        channel.basicPublish(config.exchange(), GPT, props, "{}".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
        QueuedRequest taken = q.take(GPT, 1).get(0);
        assertThatThrownBy(() -> q.answer(taken, new QueuedRequest.Answer(200, "id", "{}"))).isInstanceOf(Exception.class);
        List<QueuedRequest> again = q.take(GPT, 1);
        assertThat(again).as("returned, not held for the life of the connection").singleElement()
                .satisfies(r -> assertThat(r.correlationId()).contains("refused"));
        QueuedRequest elsewhere = new QueuedRequest(again.get(0).deployment(), again.get(0).endpoint(), again.get(0).body(),
                Optional.empty(), again.get(0).apiKey(), Optional.of(replies), again.get(0).correlationId(), 0,
                again.get(0).handle());
        q.answer(elsewhere, new QueuedRequest.Answer(200, "id", "{}"));
        assertThat(drain(replies)).as("the refused publish closed the channel; it was reopened").hasSize(1);
        assertThat(q.take(GPT, 1)).isEmpty();
    }
}
