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
import dev.spillway.gateway.pipeline.Reply;
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
import java.util.stream.Collector;

/**
 * Runs one leased line through the gateway's own request pipeline, as the batch's owner and in the
 * batch priority class, and turns the answer into what becomes of the line: ended with an output
 * or error line, or put back to retry later (throttled, or a backend fault with attempts left).
 * Runs on an event loop. Stateless; shared.
 */
final class LineRunner {
    /** What becomes of a line after one run. */
    sealed interface Result {
        /** The line ends {@code state} with its output line. */
        record Done(LineState state, String output) implements Result {
        }

        /** The line goes back to the queue, claimable again after {@code after}. */
        record Retry(Duration after) implements Result {
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
        Operation op = BatchLines.operation(batch.endpoint()).orElseThrow();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
        Exchange exchange = new Exchange(requestIds.get(), clock.instant(), System.nanoTime(), "POST",
                batch.endpoint(), headers, FrontDoor.OPENAI, op, "", Optional.empty(), Buffer.buffer(lease.body()),
                Lifecycle.COMPLETION_ORDER);
        exchange.caller(caller(batch.owner()));
        exchange.priority(Priority.BATCH);
        exchange.firstTierOnly(!mayUsePayAsYouGo(batch));
        return pipeline.run(exchange)
                .compose(reply -> bytes(reply).map(body -> answered(exchange, lease, reply.status(), reply.headers(), body)))
                .recover(e -> Future.succeededFuture(refused(exchange, lease, e)));
    }

    /** The owner as a caller; {@link BatchOwnerPolicy} refreshes an app key's grants before the line runs. */
    static Caller caller(BatchOwner o) {
        Grants grants = new Grants(o.keyId(), KeyLimits.NONE, Set.of(), o.roles(), o.viaJwt());
        return new Caller(o.keyName(), o.app(), o.team(), o.user(), o.keyPrefix(), grants);
    }

    private static Future<Buffer> bytes(Reply reply) {
        return switch (reply.body()) {
            case Reply.Body.Full full -> Future.succeededFuture(full.bytes());
            case Reply.Body.Streamed s -> s.chunks().collect(Collector.of(Buffer::buffer, Buffer::appendBuffer,
                    Buffer::appendBuffer));
        };
    }

    private Result answered(Exchange exchange, Lease lease, int status, MultiMap headers, Buffer body) {
        exchange.complete(new Outcome(status, body.length(), true, false));
        if (status == 429) return new Result.Retry(retryAfter(headers.get("retry-after-ms")));
        if (status >= 500 && lease.attempts() < maxAttempts) return new Result.Retry(BACKOFF.multipliedBy(lease.attempts()));
        return done(exchange, lease, status, json(body));
    }

    private Result refused(Exchange exchange, Lease lease, Throwable cause) {
        SpillwayException e = cause instanceof SpillwayException s ? s
                : new SpillwayException.Internal("Spillway hit an internal error; request id " + exchange.requestId() + ".");
        exchange.complete(new Outcome(e.status(), 0, false, false));
        if (e instanceof SpillwayException.RateLimited r) return new Result.Retry(r.retryAfter());
        if (e.status() >= 500 && lease.attempts() < maxAttempts) return new Result.Retry(BACKOFF.multipliedBy(lease.attempts()));
        return done(exchange, lease, e.status(), json(Buffer.buffer(ErrorEnvelope.of(e))));
    }

    private static Result done(Exchange exchange, Lease lease, int status, JsonNode body) {
        String output = BatchLines.answer(lease.batchId(), lease.lineNo(), lease.customId(), status,
                exchange.requestId(), body);
        return new Result.Done(status >= 200 && status < 300 ? LineState.SUCCEEDED : LineState.FAILED, output);
    }

    private static Duration retryAfter(String millis) {
        try {
            return millis == null ? Duration.ofSeconds(1) : Duration.ofMillis(Math.max(1, Long.parseLong(millis.trim())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static JsonNode json(Buffer body) {
        try {
            return Json.MAPPER.readTree(body.getBytes());
        } catch (IOException | RuntimeException e) {
            return JsonNodeFactory.instance.textNode(body.toString());
        }
    }
}
