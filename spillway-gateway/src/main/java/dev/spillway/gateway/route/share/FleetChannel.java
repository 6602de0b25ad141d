package dev.spillway.gateway.route.share;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The replicas' shared medium for what they learn about backends: a broadcast of short messages,
 * named leases with an expiry, and rosters (each live replica's value of something, such as the
 * hash of the config it runs). The Redis module provides one (pub/sub and {@code SET NX PX}).
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

    /**
     * Sets {@code member}'s value in the roster {@code name} for {@code ttl} (on the medium's clock)
     * and completes with the value of every member whose entry has not expired, this one included.
     */
    CompletionStage<Map<String, String>> roster(String name, String member, String value, Duration ttl);

    @Override
    void close();
}
