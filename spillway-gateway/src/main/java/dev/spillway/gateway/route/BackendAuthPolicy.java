package dev.spillway.gateway.route;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;

/**
 * Attempt tier: signs the upstream request with the backend's own credential, read from its
 * secret on each attempt so a rotated secret applies at once. Stateless.
 */
public final class BackendAuthPolicy implements Policy {
    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Upstream up = exchange.upstream();
        BackendConfig b = up.backend();
        switch (b.auth()) {
            case API_KEY -> up.headers().set("api-key", b.secret().orElseThrow().value());
            case BEARER -> up.headers().set("authorization", "Bearer " + b.secret().orElseThrow().value());
            case NONE -> {
                // the backend needs no credential
            }
        }
        return chain.proceed(exchange);
    }
}
