package dev.spillway.it;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The fleet test's message-queue app (docs/batch.md): publishes {@code rate} chats a second to the
 * gateways' exchange for {@code duration} under publisher confirms, each with a correlation id and
 * the load key, and collects the answers from its own reply queue. Loopback only, bounded.
 */
final class FleetRabbit implements Runnable, AutoCloseable {
    static final String URI = "amqp://guest:guest@127.0.0.1:5672/%2F";

    /** One answer: the HTTP status the request got and its ledger request id. */
    record Answer(int status, String requestId) {
    }

    final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
    final AtomicInteger published = new AtomicInteger();
    final AtomicInteger unconfirmed = new AtomicInteger();
    private final Connection connection;
    private final Channel publisher;
    private final String replies;
    private final String exchange;
    private final String key;
    private final int rate;
    private final Duration duration;

    FleetRabbit(String exchange, String key, int rate, Duration duration) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(URI);
        this.connection = f.newConnection("spillway-fleet-test");
        this.publisher = connection.createChannel();
        publisher.confirmSelect();
        Channel consumer = connection.createChannel();
        this.replies = consumer.queueDeclare("", false, true, true, null).getQueue();
        consumer.basicConsume(replies, true, (tag, d) -> {
            Map<String, Object> h = d.getProperties().getHeaders();
            answers.computeIfAbsent(d.getProperties().getCorrelationId(), id -> new CopyOnWriteArrayList<>())
                    .add(new Answer(Integer.parseInt(String.valueOf(h.get("status"))),
                            String.valueOf(h.getOrDefault("x-spillway-request-id", ""))));
        }, tag -> { });
        this.exchange = exchange;
        this.key = key;
        this.rate = rate;
        this.duration = duration;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + FleetLoad.PROMPT + "\"}],\"max_tokens\":"
                + FleetLoad.MAX_TOKENS + "}").getBytes(StandardCharsets.UTF_8);
        for (long i = 0; ; i++) {
            long due = start + i * 1_000_000_000L / rate;
            if (due >= start + duration.toNanos()) break;
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            try {
                publisher.basicPublish(exchange, "gpt-4o", new AMQP.BasicProperties.Builder().replyTo(replies)
                        .correlationId("m" + i).deliveryMode(2).headers(Map.of("api-key", key)).build(), body);
                if (publisher.waitForConfirms(TimeUnit.SECONDS.toMillis(5))) published.incrementAndGet();
                else unconfirmed.incrementAndGet();
            } catch (Exception e) {
                unconfirmed.incrementAndGet();
            }
        }
    }

    /** Waits up to {@code limit} until every confirmed message has an answer. */
    void awaitAnswers(Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (answers.size() < published.get() && System.nanoTime() < until) Thread.sleep(200);
    }

    /** Deletes the gateways' queue and exchange for this test. */
    void cleanUp() throws Exception {
        try (Channel c = connection.createChannel()) {
            c.queueDelete(exchange + ".gpt-4o");
            c.exchangeDelete(exchange);
        }
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
