package dev.spillway.gateway.route;

import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import dev.spillway.gateway.route.identity.Identities;
import io.vertx.core.Future;

/**
 * Attempt tier: signs the upstream request with the backend's own credential (api-key, bearer
 * secret or OAuth2 token). Never blocks: an OAuth2 token not yet fetched is awaited as a future.
 * Shared; stateless.
 */
public final class BackendAuthPolicy implements Policy {
    private final Identities identities;

    public BackendAuthPolicy(Identities identities) {
        this.identities = identities;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Upstream up = exchange.upstream();
        return identities.sign(up.backend(), up.headers()).compose(v -> chain.proceed(exchange));
    }
}
