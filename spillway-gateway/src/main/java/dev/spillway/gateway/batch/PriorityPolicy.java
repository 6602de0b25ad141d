package dev.spillway.gateway.batch;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Priority;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import java.util.Locale;

/**
 * Request tier, after authorization and before the limits: sets the request's priority class from
 * the {@code x-spillway-priority} header ({@code interactive} or {@code low}) or its app's
 * {@code batch.apps[].priority}, and keeps a low-priority call on provisioned capacity only (it
 * never spills to pay-as-you-go). The wait for PTU headroom is {@link PtuWaitPolicy}'s, after the
 * cache, so a cached answer is served without it. Batch lines arrive already marked and pass.
 * Stateless; shared.
 */
public final class PriorityPolicy implements Policy {
    public static final String HEADER = "x-spillway-priority";
    private final BatchConfig config;

    public PriorityPolicy(BatchConfig config) {
        this.config = config;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        if (exchange.priority() == Priority.BATCH) return chain.proceed(exchange);
        Priority wanted = requested(exchange);
        exchange.priority(wanted);
        if (wanted == Priority.LOW) exchange.firstTierOnly(true);
        return chain.proceed(exchange);
    }

    private Priority requested(Exchange exchange) {
        String header = exchange.headers().get(HEADER);
        if (header == null) return config.priorityOf(exchange.caller().app());
        return switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "interactive" -> Priority.INTERACTIVE;
            case "low" -> Priority.LOW;
            default -> throw new SpillwayException.InvalidRequest("invalid_priority",
                    "'" + HEADER + "' must be interactive or low, was '" + header + "'.", HEADER);
        };
    }
}
