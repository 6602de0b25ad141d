package dev.spillway.gateway.batch;

import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.Authenticator;
import dev.spillway.gateway.batch.LineRunner.Call;
import dev.spillway.gateway.pipeline.Caller;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message-queue way into the lane. Each {@link #tick} takes requests from the
 * {@link RequestQueue} for the deployments whose PTU has headroom (every deployment under
 * {@code pay-as-you-go: always}), up to this gateway's free slots ({@code max-in-flight}); runs each
 * through the pipeline in the batch class as the app whose key the message carries (or the
 * configured identity); and answers it on its reply queue. A throttled or failed request waits out
 * its retry delay (at most {@link #MAX_HOLD}, holding its slot) and goes back behind the others.
 *
 * <p>Implementation notes: the broker calls block, so they run on worker threads; the pipeline runs
 * on this lane's event-loop context. The slot counter is this gateway's; the broker gives each
 * message to one consumer, so replicas never take the same request while both live. Thread-safe;
 * one per gateway.
 */
final class MessageLane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MessageLane.class);
    static final Duration MAX_HOLD = Duration.ofSeconds(30);
    private final BatchConfig config;
    private final RabbitConfig rabbit;
    private final RequestQueue queue;
    private final LineRunner runner;
    private final Headroom headroom;
    private final List<String> deployments;
    private final Supplier<Authenticator> authenticator;
    private final Vertx vertx;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger turn = new AtomicInteger();

    MessageLane(BatchConfig config, RabbitConfig rabbit, RequestQueue queue, LineRunner runner, Headroom headroom,
            Set<String> deployments, Supplier<Authenticator> authenticator, Vertx vertx, Clock clock) {
        this.config = config;
        this.rabbit = rabbit;
        this.queue = queue;
        this.runner = runner;
        this.headroom = headroom;
        this.deployments = List.copyOf(deployments);
        this.authenticator = authenticator;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** One round: take what the free slots and the headroom allow; completes when those requests are answered or back. */
    Future<Void> tick() {
        Set<String> open = spills() ? Set.copyOf(deployments) : headroom.deploymentsWithRoom(clock.millis());
        if (open.isEmpty() || inFlight.get() >= config.maxInFlight()) return Future.succeededFuture();
        return vertx.executeBlocking(() -> take(open), false)
                .compose(taken -> Future.join(taken.stream().map(this::runOne).toList()).<Void>mapEmpty())
                .onFailure(e -> LOG.warn("message lane round failed: {}", e.toString()));
    }

    /** Requests running in this gateway now. */
    int inFlight() {
        return inFlight.get();
    }

    private boolean spills() {
        String app = rabbit.identity().map(RabbitConfig.Identity::app).orElse("");
        return config.payAsYouGoOf(app) == BatchConfig.PayAsYouGo.ALWAYS;
    }

    private List<QueuedRequest> take(Set<String> open) throws Exception {
        List<QueuedRequest> taken = new ArrayList<>();
        int start = Math.floorMod(turn.getAndIncrement(), deployments.size());
        for (int k = 0; k < deployments.size(); k++) {
            String d = deployments.get((start + k) % deployments.size());
            int free = config.maxInFlight() - inFlight.get();
            if (free <= 0) break;
            if (!open.contains(d)) continue;
            List<QueuedRequest> got = queue.take(d, free);
            inFlight.addAndGet(got.size());
            taken.addAll(got);
        }
        return taken;
    }

    private Future<Void> runOne(QueuedRequest request) {
        boolean firstTierOnly = !spills();
        return caller(request)
                .compose(caller -> runner.call(caller, request.endpoint(), request.body(), firstTierOnly,
                        request.attempts() + 1))
                .recover(e -> Future.succeededFuture(refused(e)))
                .compose(call -> settle(request, call))
                .andThen(ar -> {
                    inFlight.decrementAndGet();
                    if (ar.failed()) LOG.warn("queued request {} was not settled: {}", request.correlationId().orElse("-"),
                            ar.cause().toString());
                });
    }

    /** The app whose key the message carries, or the configured identity; neither is a 401 answer. */
    private Future<Caller> caller(QueuedRequest request) {
        if (BatchLines.operation(request.endpoint()).isEmpty()) {
            return Future.failedFuture(new SpillwayException.InvalidRequest("invalid_url", "The message's type must be "
                    + "/v1/chat/completions, /v1/completions or /v1/embeddings, was '" + request.endpoint() + "'.", "type"));
        }
        if (request.apiKey().isPresent()) {
            return authenticator.get().authenticate(MultiMap.caseInsensitiveMultiMap().add("api-key", request.apiKey().get()));
        }
        return rabbit.identity().map(id -> Future.succeededFuture(LineRunner.caller(new BatchOwner("rabbitmq:"
                + rabbit.exchange(), id.app(), id.team(), "", "", Optional.empty(), Set.of(), false))))
                .orElseGet(() -> Future.failedFuture(new SpillwayException.Unauthenticated("The message carries no "
                        + "api-key header and gateway.batch.rabbitmq has no identity.")));
    }

    private static Call refused(Throwable cause) {
        SpillwayException e = cause instanceof SpillwayException s ? s
                : new SpillwayException.Internal("Spillway could not run the queued request.");
        return new Call.Answered(e.status(), "", LineRunner.json(Buffer.buffer(ErrorEnvelope.of(e))));
    }

    private Future<Void> settle(QueuedRequest request, Call call) {
        return switch (call) {
            case Call.Answered a -> vertx.executeBlocking(() -> {
                queue.answer(request, new QueuedRequest.Answer(a.status(), a.requestId(), a.body().toString()));
                return null;
            }, false);
            case Call.Again again -> {
                long wait = Math.max(1, Math.min(again.after().toMillis(), MAX_HOLD.toMillis()));
                yield Future.<Void>future(p -> vertx.setTimer(wait, id -> p.complete()))
                        .compose(v -> vertx.executeBlocking(() -> {
                            queue.putBack(request);
                            return null;
                        }, false));
            }
        };
    }

    @Override
    public void close() {
        queue.close();
    }
}
