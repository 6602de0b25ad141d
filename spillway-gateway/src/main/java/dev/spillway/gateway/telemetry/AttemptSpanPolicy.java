package dev.spillway.gateway.telemetry;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;

/**
 * Attempt tier, after translate and backend auth (which build the upstream headers), before
 * meter: one CLIENT span per backend attempt, with the backend's address, and the
 * W3C {@code traceparent} set on the upstream request so the backend joins the trace. The span
 * ends when the backend's answer (or failure) arrives. Stateless; shared.
 */
public final class AttemptSpanPolicy implements Policy {
    private final Clock clock;

    public AttemptSpanPolicy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        if (exchange.span().isEmpty()) return chain.proceed(exchange);
        BackendConfig backend = exchange.upstream().backend();
        URI url = backend.url();
        int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        String provider = backend.api() == BackendConfig.Api.AZURE ? "azure.ai.openai" : "openai";
        RequestSpan.AttemptSpan span = exchange.span().get()
                .startAttempt(backend.name(), provider, url.getHost(), port, clock.instant());
        span.inject(exchange.upstream().headers());
        return chain.proceed(exchange).andThen(ar -> {
            if (ar.succeeded()) {
                span.end(ar.result().status(), exchange.usage().promptTokens(), exchange.usage().completionTokens(),
                        clock.instant());
            } else {
                span.fail(ar.cause(), clock.instant());
            }
        });
    }
}
