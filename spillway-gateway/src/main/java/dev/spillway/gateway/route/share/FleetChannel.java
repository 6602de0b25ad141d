package dev.spillway.gateway.route.share;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The replicas' shared medium for what they learn about backends: a broadcast of short messages
 * and named leases with an expiry. The Redis module provides one (pub/sub and {@code SET NX PX}).
 * Every call fails fast while the medium is away; {@link #listen} keeps trying to (re)subscribe.
 * Implementations are thread-safe and live as long as the gateway.
 */
public interface FleetChannel extends AutoCloseable {
    /** Delivers every message published by any replica, this one included, to {@code receiver}. */
    void listen(Consumer<String> receiver);

    /** Whether the subscription is live, so messages published now reach this replica. */
    boolean listening();

    CompletionStage<Void> publish(String message);

    /** Completes when the medium answers a round trip, so messages can be published again. */
    CompletionStage<Void> ping();

    /**
     * Takes or renews the lease {@code name} for {@code holder} for {@code ttl}; completes with
     * whether {@code holder} holds it now.
     */
    CompletionStage<Boolean> lease(String name, String holder, Duration ttl);

    @Override
    void close();
}
