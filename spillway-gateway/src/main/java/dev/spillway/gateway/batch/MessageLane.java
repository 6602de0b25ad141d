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
 * The message-queue way into the lane, on RabbitMQ or on the embedded queue. Each {@link #tick}
 * takes requests from the {@link RequestQueue} for the deployments whose PTU has headroom (every
 * deployment under {@code pay-as-you-go: always}), up to this gateway's free slots
 * ({@link LaneConcurrency}); runs each through the pipeline in the batch class as its owner (the
 * caller that published it over HTTP), the app whose key the message carries, or the configured
 * identity; and answers it on its reply queue. A throttled or failed request waits out
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
    private final Optional<RabbitConfig.Identity> identity;
    private final String source;
    private final RequestQueue queue;
    private final LineRunner runner;
    private final Headroom headroom;
    private final List<String> deployments;
    private final Supplier<Authenticator> authenticator;
    private final Vertx vertx;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger turn = new AtomicInteger();
    private final LaneConcurrency slots;

    /**
     * {@code identity} is who a request without owner or key runs as; {@code source} names the queue
     * in such a request's credential name ({@code rabbitmq:<exchange>}).
     */
    MessageLane(BatchConfig config, Optional<RabbitConfig.Identity> identity, String source, RequestQueue queue,
            LineRunner runner, Headroom headroom, Set<String> deployments, Supplier<Authenticator> authenticator,
            Vertx vertx, Clock clock, LaneConcurrency slots) {
        this.slots = slots;
        this.config = config;
        this.identity = identity;
        this.source = source;
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
        if (open.isEmpty()) return Future.succeededFuture();
        if (slots.free() <= 0) {
            slots.limited();
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> take(open), false)
                .compose(taken -> Future.join(taken.stream().map(this::runOne).toList()).<Void>mapEmpty())
                .onFailure(e -> LOG.warn("message lane round failed: {}", e.toString()));
    }

    /** Requests running in this gateway now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Whether the lane takes work without waiting for headroom: its default identity's (or the global) rule is {@code always}. */
    private boolean spills() {
        return config.payAsYouGoOf(identity.map(RabbitConfig.Identity::app).orElse("")) == BatchConfig.PayAsYouGo.ALWAYS;
    }

    /** Whether the request may spill to pay-as-you-go: its own app's rule is {@code always}. */
    private boolean spills(QueuedRequest request) {
        String app = request.owner().map(BatchOwner::app).orElse(identity.map(RabbitConfig.Identity::app).orElse(""));
        return config.payAsYouGoOf(app) == BatchConfig.PayAsYouGo.ALWAYS;
    }

    private List<QueuedRequest> take(Set<String> open) throws Exception {
        List<QueuedRequest> taken = new ArrayList<>();
        int start = Math.floorMod(turn.getAndIncrement(), deployments.size());
        for (int k = 0; k < deployments.size(); k++) {
            String d = deployments.get((start + k) % deployments.size());
            int free = slots.free();
            if (free <= 0) break;
            if (!open.contains(d)) continue;
            List<QueuedRequest> got = queue.take(d, free);
            if (got.size() == free) slots.limited();
            slots.acquired(got.size());
            inFlight.addAndGet(got.size());
            taken.addAll(got);
        }
        return taken;
    }

    private Future<Void> runOne(QueuedRequest request) {
        boolean firstTierOnly = !spills(request);
        return caller(request)
                .compose(caller -> runner.call(caller, request.endpoint(), request.body(), firstTierOnly,
                        request.attempts() + 1))
                .recover(e -> Future.succeededFuture(refused(e)))
                .compose(call -> settle(request, call))
                .andThen(ar -> {
                    inFlight.decrementAndGet();
                    slots.released();
                    if (ar.failed()) LOG.warn("queued request {} was not settled: {}", request.correlationId().orElse("-"),
                            ar.cause().toString());
                });
    }

    /** The owner that published it, the app whose key the message carries, or the configured identity; none is a 401 answer. */
    private Future<Caller> caller(QueuedRequest request) {
        if (BatchLines.operation(request.endpoint()).isEmpty()) {
            return Future.failedFuture(new SpillwayException.InvalidRequest("invalid_url", "The message's type must be "
                    + "/v1/chat/completions, /v1/completions or /v1/embeddings, was '" + request.endpoint() + "'.", "type"));
        }
        if (request.owner().isPresent()) return Future.succeededFuture(LineRunner.caller(request.owner().get()));
        if (request.apiKey().isPresent()) {
            return authenticator.get().authenticate(MultiMap.caseInsensitiveMultiMap().add("api-key", request.apiKey().get()));
        }
        return identity.map(id -> Future.succeededFuture(LineRunner.caller(new BatchOwner(source, id.app(), id.team(),
                "", "", Optional.empty(), Set.of(), false))))
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
                if (again.throttled()) slots.throttled();
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
