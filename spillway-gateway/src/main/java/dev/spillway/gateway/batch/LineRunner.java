package dev.spillway.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.access.Grants;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.FrontDoor;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.Priority;
import dev.spillway.gateway.server.Lifecycle;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs one leased line, or one request from the message queue, through the gateway's own request
 * pipeline, as its owner and in the batch priority class, and turns the answer into what becomes of
 * it: ended with an answer (a line's output or error line), or put back to retry later (throttled,
 * or a backend fault with attempts left). Runs on an event loop. Stateless; shared.
 */
final class LineRunner {
    /** What becomes of a line after one run. */
    sealed interface Result {
        /** The line ends {@code state} with its output line. */
        record Done(LineState state, String output) implements Result {
        }

        /** The line goes back to the queue, claimable again after {@code after}; {@code throttled}: it got a 429. */
        record Retry(Duration after, boolean throttled) implements Result {
        }
    }

    /** What one call came to: an answer to hand back, or a retry (as {@link Result.Retry}). */
    sealed interface Call {
        record Answered(int status, String requestId, JsonNode body) implements Call {
        }

        /** Try again after {@code after}; {@code throttled}: the call got a 429 (the lane backs off). */
        record Again(Duration after, boolean throttled) implements Call {
        }
    }

    private static final Duration BACKOFF = Duration.ofSeconds(2);
    private final Pipeline pipeline;
    private final Clock clock;
    private final Supplier<String> requestIds;
    private final int maxAttempts;
    private final BatchConfig config;

    LineRunner(Pipeline pipeline, Clock clock, Supplier<String> requestIds, BatchConfig config) {
        this.pipeline = pipeline;
        this.clock = clock;
        this.requestIds = requestIds;
        this.maxAttempts = config.maxAttempts();
        this.config = config;
    }

    /** Whether the batch's lines may spill to pay-as-you-go now, by its app's rule and its expiry. */
    boolean mayUsePayAsYouGo(BatchRecord batch) {
        return switch (config.payAsYouGoOf(batch.owner().app())) {
            case NEVER -> false;
            case ALWAYS -> true;
            case DEADLINE_AT_RISK -> !clock.instant().isBefore(batch.expiresAt().minus(config.deadlineMargin()));
        };
    }

    Future<Result> run(BatchRecord batch, Lease lease) {
        return call(caller(batch.owner()), batch.endpoint(), lease.body(), !mayUsePayAsYouGo(batch), lease.attempts())
                .map(call -> switch (call) {
                    case Call.Again again -> new Result.Retry(again.after(), again.throttled());
                    case Call.Answered a -> new Result.Done(a.status() >= 200 && a.status() < 300
                            ? LineState.SUCCEEDED : LineState.FAILED, BatchLines.answer(lease.batchId(), lease.lineNo(),
                            lease.customId(), a.status(), a.requestId(), a.body()));
                });
    }

    /**
     * Calls {@code endpoint} (a batch endpoint, {@link BatchLines#operation}) with {@code body} as
     * {@code caller}, in the batch class; {@code attempts} counts this try.
     */
    Future<Call> call(Caller caller, String endpoint, String body, boolean firstTierOnly, int attempts) {
        Operation op = BatchLines.operation(endpoint).orElseThrow();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
        Exchange exchange = new Exchange(requestIds.get(), clock.instant(), System.nanoTime(), "POST",
                endpoint, headers, FrontDoor.OPENAI, op, "", Optional.empty(), Buffer.buffer(body),
                Lifecycle.COMPLETION_ORDER);
        exchange.caller(caller);
        exchange.priority(Priority.BATCH);
        exchange.firstTierOnly(firstTierOnly);
        return pipeline.run(exchange)
                .compose(reply -> reply.whole().map(b -> answered(exchange, attempts, reply.status(), reply.headers(), b)))
                .recover(e -> Future.succeededFuture(refused(exchange, attempts, e)));
    }

    /** The owner as a caller; {@link BatchOwnerPolicy} refreshes an app key's grants before the line runs. */
    static Caller caller(BatchOwner o) {
        Grants grants = new Grants(o.keyId(), KeyLimits.NONE, Set.of(), o.roles(), o.viaJwt());
        return new Caller(o.keyName(), o.app(), o.team(), o.user(), o.keyPrefix(), grants);
    }

    private Call answered(Exchange exchange, int attempts, int status, MultiMap headers, Buffer body) {
        exchange.complete(new Outcome(status, body.length(), true, false));
        if (status == 429) return new Call.Again(retryAfter(headers.get("retry-after-ms")), true);
        if (status >= 500 && attempts < maxAttempts) return new Call.Again(BACKOFF.multipliedBy(attempts), false);
        return new Call.Answered(status, exchange.requestId(), json(body));
    }

    private Call refused(Exchange exchange, int attempts, Throwable cause) {
        SpillwayException e = cause instanceof SpillwayException s ? s
                : new SpillwayException.Internal("Spillway hit an internal error; request id " + exchange.requestId() + ".");
        exchange.complete(new Outcome(e.status(), 0, false, false));
        if (e instanceof SpillwayException.RateLimited r) return new Call.Again(r.retryAfter(), true);
        if (e.status() >= 500 && attempts < maxAttempts) return new Call.Again(BACKOFF.multipliedBy(attempts), false);
        return new Call.Answered(e.status(), exchange.requestId(), json(Buffer.buffer(ErrorEnvelope.of(e))));
    }

    private static Duration retryAfter(String millis) {
        try {
            return millis == null ? Duration.ofSeconds(1) : Duration.ofMillis(Math.max(1, Long.parseLong(millis.trim())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** The body as JSON; a body that is not JSON becomes a JSON string. */
    static JsonNode json(Buffer body) {
        try {
            return Json.MAPPER.readTree(body.getBytes());
        } catch (IOException | RuntimeException e) {
            return JsonNodeFactory.instance.textNode(body.toString());
        }
    }
}
