package dev.spillway.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract every adapter of the message-queue port ({@link RequestQueue}) passes: the embedded
 * queue on SQLite and PostgreSQL, and RabbitMQ. An adapter's test says how an app publishes and
 * reads its answers there, and how a gateway holding requests dies.
 */
public abstract class RequestQueueContract {
    protected static final String GPT = "gpt-4o";
    protected static final String MINI = "gpt-4o-mini";

    /** One gateway's queue on this test's store, serving {@link #GPT} and {@link #MINI}; closed after the test. */
    protected abstract RequestQueue gateway() throws Exception;

    /** A reply queue of this test's app. */
    protected abstract String replyQueue() throws Exception;

    /** Publishes a request as an app would, and returns once it is durably queued. */
    protected abstract void publish(String deployment, String endpoint, String body, Optional<String> replyTo,
            String correlationId) throws Exception;

    /** What waits on the reply queue, oldest first, removing it. */
    protected abstract List<Answered> drain(String replyTo) throws Exception;

    /** The gateway dies holding what it took (its connection drops, or its leases run out). */
    protected abstract void dies(RequestQueue gateway) throws Exception;

    /** An answer as the app sees it. Immutable. */
    public record Answered(Optional<String> correlationId, int status, String requestId, String body) {
    }

    private void publish(String correlationId, String replyTo) throws Exception {
        publish(GPT, "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + correlationId
                + "\"}]}", Optional.of(replyTo), correlationId);
    }

    private static List<String> ids(List<QueuedRequest> taken) {
        return taken.stream().map(r -> r.correlationId().orElseThrow()).toList();
    }

    @Test
    void aTakenRequestIsHeldByItsTakerAloneAndAnsweredOnItsReplyQueueWithItsCorrelationId() throws Exception {
        RequestQueue one = gateway();
        RequestQueue two = gateway();
        String replies = replyQueue();
        publish("req-1", replies);

        List<QueuedRequest> taken = one.take(GPT, 5);
        assertThat(taken).singleElement().satisfies(r -> {
            assertThat(r.deployment()).isEqualTo(GPT);
            assertThat(r.endpoint()).isEqualTo("/v1/chat/completions");
            assertThat(r.replyTo()).contains(replies);
            assertThat(r.attempts()).isZero();
            assertThat(Json.MAPPER.readTree(r.body()).path("model").asText()).isEqualTo(GPT);
            assertThat(Json.MAPPER.readTree(r.body()).path("messages").path(0).path("content").asText()).isEqualTo("req-1");
        });
        assertThat(two.take(GPT, 5)).as("held by the first gateway").isEmpty();

        one.answer(taken.get(0), new QueuedRequest.Answer(200, "0193-req", "{\"id\":\"chatcmpl-1\"}"));
        assertThat(drain(replies)).containsExactly(new Answered(Optional.of("req-1"), 200, "0193-req",
                "{\"id\":\"chatcmpl-1\"}"));
        assertThat(two.take(GPT, 5)).as("answered requests are gone").isEmpty();
        assertThat(one.take(GPT, 5)).isEmpty();
    }

    @Test
    void requestsAreTakenOldestFirstUpToTheAskedNumberAndOnlyForTheirDeployment() throws Exception {
        RequestQueue q = gateway();
        String replies = replyQueue();
        for (int i = 1; i <= 4; i++) publish("r" + i, replies);
        publish(MINI, "/v1/embeddings", "{\"input\":\"x\"}", Optional.of(replies), "mini-1");

        assertThat(ids(q.take(GPT, 3))).containsExactly("r1", "r2", "r3");
        assertThat(ids(q.take(GPT, 3))).containsExactly("r4");
        assertThat(q.take(MINI, 3)).singleElement().satisfies(r -> {
            assertThat(r.correlationId()).contains("mini-1");
            assertThat(r.endpoint()).isEqualTo("/v1/embeddings");
        });
    }

    @Test
    void aRequestPutBackGoesBehindTheWaitingOnesWithOneMoreAttempt() throws Exception {
        RequestQueue q = gateway();
        String replies = replyQueue();
        publish(GPT, "/v1/embeddings", "{\"input\":\"x\"}", Optional.of(replies), "first");
        QueuedRequest first = q.take(GPT, 1).get(0);
        publish("second", replies);
        q.putBack(first);
        List<QueuedRequest> next = q.take(GPT, 5);
        assertThat(ids(next)).containsExactly("second", "first");
        assertThat(next.get(1).attempts()).isEqualTo(1);
        assertThat(next.get(1).endpoint()).isEqualTo("/v1/embeddings");
        assertThat(next.get(1).replyTo()).contains(replies);
        q.putBack(next.get(1));
        assertThat(q.take(GPT, 5)).singleElement().satisfies(r -> assertThat(r.attempts()).isEqualTo(2));
    }

    @Test
    void aRequestWithoutAReplyQueueIsRemovedWhenAnswered() throws Exception {
        RequestQueue q = gateway();
        publish(GPT, "/v1/chat/completions", "{\"messages\":[]}", Optional.empty(), "fire-and-forget");
        QueuedRequest r = q.take(GPT, 1).get(0);
        assertThat(r.replyTo()).isEmpty();
        q.answer(r, new QueuedRequest.Answer(200, "id", "{}"));
        assertThat(q.take(GPT, 5)).isEmpty();
    }

    @Test
    void requestsHeldByAGatewayThatDiesGoToAnother() throws Exception {
        RequestQueue dying = gateway();
        RequestQueue survivor = gateway();
        String replies = replyQueue();
        publish("a", replies);
        publish("b", replies);
        assertThat(dying.take(GPT, 5)).hasSize(2);
        assertThat(survivor.take(GPT, 5)).isEmpty();
        dies(dying);
        List<QueuedRequest> again = new ArrayList<>();
        for (int i = 0; i < 100 && again.size() < 2; i++) {
            again.addAll(survivor.take(GPT, 5));
            if (again.size() < 2) Thread.sleep(20);
        }
        assertThat(ids(again)).containsExactlyInAnyOrder("a", "b");
        for (QueuedRequest r : again) survivor.answer(r, new QueuedRequest.Answer(200, "id", "{}"));
        assertThat(drain(replies)).hasSize(2);
    }

    @Test
    void twoGatewaysTakingAtOnceNeverGetTheSameRequest() throws Exception {
        int n = 120;
        List<RequestQueue> gateways = List.of(gateway(), gateway());
        String replies = replyQueue();
        for (int i = 0; i < n; i++) publish("r-" + i, replies);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        List<String> dup = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (RequestQueue g : gateways) counts.add(pool.submit(() -> {
                int mine = 0;
                for (int round = 0; round < 1000 && seen.size() < n; round++) {
                    for (QueuedRequest r : g.take(GPT, 4)) {
                        if (seen.put(r.correlationId().orElseThrow(), 1) != null) dup.add(r.correlationId().get());
                        g.answer(r, new QueuedRequest.Answer(200, "id", "{}"));
                        mine++;
                    }
                }
                return mine;
            }));
            int total = 0;
            for (Future<Integer> c : counts) total += c.get(60, TimeUnit.SECONDS);
            assertThat(dup).isEmpty();
            assertThat(total).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
        assertThat(drain(replies)).hasSize(n);
    }
}
