package dev.spillway.store.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.spillway.gateway.batch.QueuedRequest;
import dev.spillway.gateway.batch.RabbitConfig;
import dev.spillway.gateway.batch.RequestQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The message-queue way in on RabbitMQ (AMQP 0-9-1). Apps publish to the durable direct exchange
 * {@code <exchange>} with the deployment as routing key (or straight to its queue); each deployment
 * has a durable quorum queue {@code <exchange>.<deployment>}. A message is a request body (JSON,
 * its {@code model} set to the deployment here), with {@code type} the endpoint (default
 * {@code /v1/chat/completions}), {@code reply_to} and {@code correlation_id} for the answer, and an
 * {@code api-key} header when the app's own key should be used.
 *
 * <p>Implementation notes: requests are taken with {@code basic.get} and manual acknowledgement,
 * so the broker keeps a taken message from every other consumer until this connection acks it,
 * and hands it out again if the connection dies. An answer is published on a second channel in
 * confirm mode and the request is acked only once the broker confirmed the answer, so a crash
 * between the two repeats the request rather than losing its answer. Putting a request back
 * publishes a copy behind the waiting ones (confirmed) and then acks the original, so a throttled
 * request neither spins at the head of the queue nor counts as a failed delivery. When an answer
 * or a copy cannot be published (no confirm within {@code confirm-timeout}, which also closes the
 * publishing channel, reopened on the next publish), the request is returned to its queue at once
 * (nack with requeue) rather than held unacked for the life of the connection. AMQP channels are
 * not thread-safe: each is used under its own lock. Thread-safe; one per gateway.
 */
public final class RabbitRequestQueue implements RequestQueue {
    static final String DEFAULT_ENDPOINT = "/v1/chat/completions";
    static final String ATTEMPTS = "x-spillway-attempts";
    private final RabbitConfig config;
    private final Connection connection;
    private final Channel takes;
    private final Object publishing = new Object();
    private Channel publishes; // guarded by publishing

    /** A taken message as the broker delivered it: what acking and republishing need. */
    private record Held(long tag, AMQP.BasicProperties properties, byte[] body) {
    }

    private RabbitRequestQueue(RabbitConfig config, Connection connection, Channel takes, Channel publishes) {
        this.config = config;
        this.connection = connection;
        this.takes = takes;
        this.publishes = publishes;
    }

    /** Connects, declares the exchange and one quorum queue per deployment bound to it. */
    public static RabbitRequestQueue open(RabbitConfig config, Set<String> deployments) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(config.uri().value());
        factory.setConnectionTimeout(5_000);
        factory.setAutomaticRecoveryEnabled(true);
        Connection connection = factory.newConnection("spillway-gateway");
        try {
            Channel takes = connection.createChannel();
            Channel publishes = connection.createChannel();
            publishes.confirmSelect();
            takes.exchangeDeclare(config.exchange(), BuiltinExchangeType.DIRECT, true);
            for (String d : deployments) {
                takes.queueDeclare(config.queue(d), true, false, false, Map.of("x-queue-type", "quorum"));
                takes.queueBind(config.queue(d), config.exchange(), d);
            }
            return new RabbitRequestQueue(config, connection, takes, publishes);
        } catch (IOException | RuntimeException e) {
            connection.abort();
            throw e;
        }
    }

    @Override
    public List<QueuedRequest> take(String deployment, int max) throws IOException {
        List<QueuedRequest> taken = new ArrayList<>();
        synchronized (takes) {
            for (int i = 0; i < max; i++) {
                GetResponse r = takes.basicGet(config.queue(deployment), false);
                if (r == null) break;
                taken.add(request(deployment, r));
            }
        }
        return taken;
    }

    private static QueuedRequest request(String deployment, GetResponse r) {
        AMQP.BasicProperties p = r.getProps();
        Map<String, Object> headers = p.getHeaders() == null ? Map.of() : p.getHeaders();
        String endpoint = p.getType() == null || p.getType().isBlank() ? DEFAULT_ENDPOINT : p.getType();
        Object attempts = headers.get(ATTEMPTS);
        return new QueuedRequest(deployment, endpoint,
                QueuedRequest.withModel(new String(r.getBody(), StandardCharsets.UTF_8), deployment), Optional.empty(),
                Optional.ofNullable(headers.get("api-key")).map(Object::toString), Optional.ofNullable(p.getReplyTo()),
                Optional.ofNullable(p.getCorrelationId()), attempts instanceof Number n ? n.intValue() : 0,
                new Held(r.getEnvelope().getDeliveryTag(), p, r.getBody()));
    }

    @Override
    public void answer(QueuedRequest request, QueuedRequest.Answer answer) throws IOException, InterruptedException,
            TimeoutException {
        Held held = (Held) request.handle();
        if (request.replyTo().isPresent()) {
            Map<String, Object> headers = new HashMap<>();
            headers.put("status", answer.status());
            headers.put("x-spillway-request-id", answer.requestId());
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).correlationId(request.correlationId().orElse(null)).headers(headers).build();
            publishOrReturn(held, "", request.replyTo().get(), props, answer.body().getBytes(StandardCharsets.UTF_8));
        }
        ack(held);
    }

    @Override
    public void putBack(QueuedRequest request) throws IOException, InterruptedException, TimeoutException {
        Held held = (Held) request.handle();
        Map<String, Object> headers = new HashMap<>(held.properties().getHeaders() == null ? Map.of()
                : held.properties().getHeaders());
        headers.put(ATTEMPTS, request.attempts() + 1);
        publishOrReturn(held, "", config.queue(request.deployment()), held.properties().builder().headers(headers).build(),
                held.body());
        ack(held);
    }

    /** Publishes under a confirm; when that fails, hands the held request back to its queue before rethrowing. */
    private void publishOrReturn(Held held, String exchange, String routingKey, AMQP.BasicProperties props, byte[] body)
            throws IOException, InterruptedException, TimeoutException {
        try {
            synchronized (publishing) {
                if (!publishes.isOpen()) {
                    publishes = connection.createChannel();
                    publishes.confirmSelect();
                }
                publishes.basicPublish(exchange, routingKey, props, body);
                publishes.waitForConfirmsOrDie(config.confirmTimeout().toMillis());
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            synchronized (takes) {
                takes.basicNack(held.tag(), false, true);
            }
            throw e;
        }
    }

    private void ack(Held held) throws IOException {
        synchronized (takes) {
            takes.basicAck(held.tag(), false);
        }
    }

    /** Closes the connection; requests taken and not yet answered go back to the broker for another consumer. */
    @Override
    public void close() {
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            connection.abort();
        }
    }
}
