package dev.spillway.gateway.server;

import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.route.Routing;
import dev.spillway.gateway.vault.KeyVaultSecrets;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One config snapshot in force: the config, the request lifecycle assembled from it, and the
 * routing, access layer and Key Vault secrets it runs on. A request takes the generation current
 * when it arrives and keeps it to its end; a reload swaps in the next one and {@link #retire}s this
 * one, which closes what only it used once its last request is done (and its predecessor closed).
 *
 * <p>Implementation notes: {@code inFlight} counts requests inside; -1 marks it closed, so a
 * request that arrives after the close (it took the generation just before the swap and read its
 * body since) cannot enter and runs on the current one instead. Thread-safe.
 */
final class Generation {
    final GatewayConfig config;
    final Lifecycle lifecycle;
    final Routing routing;
    final Access access;
    final Optional<KeyVaultSecrets> vault;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Promise<Void> closed = Promise.promise();
    private volatile boolean retired;
    private final Future<Void> predecessorClosed;
    private volatile Function<Generation, Future<Void>> closing;

    /** {@code predecessorClosed}: this one closes only after the generation before it has. */
    Generation(GatewayConfig config, Lifecycle lifecycle, Routing routing, Access access,
            Optional<KeyVaultSecrets> vault, Future<Void> predecessorClosed) {
        this.predecessorClosed = predecessorClosed;
        this.config = config;
        this.lifecycle = lifecycle;
        this.routing = routing;
        this.access = access;
        this.vault = vault;
    }

    /** Counts a request in; false once the generation has closed. */
    boolean enter() {
        for (;;) {
            int n = inFlight.get();
            if (n < 0) return false;
            if (inFlight.compareAndSet(n, n + 1)) return true;
        }
    }

    /** A request that {@link #enter}ed is done. */
    void leave() {
        if (inFlight.decrementAndGet() == 0) closeIfDone();
    }

    /** Requests inside now. */
    int inFlight() {
        return Math.max(0, inFlight.get());
    }

    /**
     * Replaced by {@code successor}: once no request is inside and its predecessor has closed,
     * closes the routing parts {@code successor} did not take over and this generation's Key Vault client.
     */
    void retire(Generation successor) {
        closing = self -> predecessorClosed.transform(v -> {
            vault.ifPresent(KeyVaultSecrets::close); // a reload fetches its own; this one refreshed the old secrets
            return routing.retire(successor.routing);
        });
        retired = true;
        closeIfDone();
    }

    /** Completes once this generation has closed (never, while it is in force). */
    Future<Void> closed() {
        return closed.future();
    }

    private void closeIfDone() {
        if (!retired || !inFlight.compareAndSet(0, -1)) return;
        closing.apply(this).onComplete(ar -> closed.tryComplete());
    }
}
