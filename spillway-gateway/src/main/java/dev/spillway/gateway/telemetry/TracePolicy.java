package dev.spillway.gateway.telemetry;

import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.pipeline.Usage;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * Request tier, outermost: opens the request's span (continuing the client's {@code traceparent}),
 * puts {@code x-spillway-trace-id} on the reply, and ends the span with the metered usage once
 * the response is written. Stateless; shared.
 */
public final class TracePolicy implements Policy {
    private final RequestTracer tracer;
    private final Clock clock;

    public TracePolicy(RequestTracer tracer, Clock clock) {
        this.tracer = tracer;
        this.clock = clock;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        RequestSpan span = tracer.startRequest(exchange.headers(), operationName(exchange.operation()),
                exchange.deployment(), exchange.receivedAt());
        exchange.span(span);
        exchange.onComplete(Completion.END_TRACE, outcome -> {
            Usage u = exchange.usage();
            span.caller(exchange.caller().app());
            span.end(outcome.status(), exchange.backend(), "", u.promptTokens(), u.completionTokens(),
                    exchange.stream(), !u.reported(), clock.instant());
        });
        return chain.proceed(exchange).map(reply -> {
            span.addResponseHeaders(reply.headers());
            return reply;
        });
    }

    /** The GenAI semantic-convention operation name. */
    static String operationName(Operation operation) {
        return switch (operation) {
            case CHAT_COMPLETIONS, RESPONSES -> "chat";
            case COMPLETIONS -> "text_completion";
            case EMBEDDINGS -> "embeddings";
            case MODELS -> "models";
        };
    }
}
