package dev.spillway.gateway.access;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * In place of authentication for work the gateway runs on a client's behalf (batch lines), before
 * the request tier: the caller was set when the work was accepted. An app key is looked up again,
 * so a key revoked or expired since stops its queued work and the key's current limits apply.
 * Shared.
 */
final class OwnerPolicy implements Policy {
    private final Function<String, Future<Optional<AppKey>>> keyById;
    private final Clock clock;

    OwnerPolicy(Function<String, Future<Optional<AppKey>>> keyById, Clock clock) {
        this.keyById = keyById;
        this.clock = clock;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Optional<String> keyId = exchange.caller().grants().keyId();
        if (keyId.isEmpty()) return chain.proceed(exchange);
        return keyById.apply(keyId.get()).compose(key -> {
            if (key.isEmpty() || !key.get().activeAt(clock.instant())) {
                return Future.failedFuture(new SpillwayException.Unauthenticated(
                        "The key that created this batch was revoked or has expired; its queued requests no longer run."));
            }
            Caller fresh = Authenticator.fromKey(key.get());
            exchange.caller(fresh);
            return chain.proceed(exchange);
        });
    }
}
