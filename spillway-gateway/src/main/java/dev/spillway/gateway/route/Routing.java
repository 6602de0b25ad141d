package dev.spillway.gateway.route;

import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.route.health.HealthProbes;
import dev.spillway.gateway.route.identity.Identities;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.route.pool.Pools;
import dev.spillway.gateway.route.share.BackendSharing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;

/**
 * Routing under one config: the backends' HTTP clients, the pools, the identities that sign
 * requests and the background health probes; and, for the gateway's life, the backends' live
 * states and, with a shared store, the sharing of what replicas learn about them. A config reload
 * makes the next one with {@link #reconfigured}, which keeps the states (reconciled), the sharing
 * and the clients of unchanged backends; the old one serves its requests in flight and is then
 * {@link #retire}d. The parts are thread-safe.
 */
public final class Routing {
    private final Vertx vertx;
    private final Backends backends;
    private final BackendStates states;
    private final Pools pools;
    private final Identities identities;
    private final HealthProbes probes;
    private final Optional<BackendSharing> sharing;
    private final Clock clock;
    private final Delay delay;

    public Routing(Vertx vertx, GatewayConfig config, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.delay = Delay.of(vertx);
        this.backends = new Backends(vertx, config.backends());
        this.states = new BackendStates(config.backends(), config.routing(), clock);
        this.pools = new Pools(config, states);
        this.identities = new Identities(vertx, config.backends(), config.identity(), clock, delay);
        this.sharing = BackendSharing.open(vertx, config, states, clock);
        this.probes = new HealthProbes(vertx, backends, identities, sharing);
        probes.start(states);
    }

    private Routing(Routing previous, GatewayConfig config) {
        this.vertx = previous.vertx;
        this.clock = previous.clock;
        this.delay = previous.delay;
        this.backends = previous.backends.next(config.backends());
        this.states = previous.states;
        this.sharing = previous.sharing;
        this.identities = new Identities(vertx, config.backends(), config.identity(), clock, delay);
        previous.probes.stop();
        states.reconcile(config.backends(), config.routing());
        sharing.ifPresent(BackendSharing::follow);
        this.pools = new Pools(config, states);
        this.probes = new HealthProbes(vertx, backends, identities, sharing);
        probes.start(states);
    }

    /**
     * Routing for a reloaded {@code config}, taking over from this one at once: the backends' states
     * (what was learned about a backend that is still configured survives), the sharing, the probes
     * (this one's stop) and the clients of backends whose connection settings are unchanged.
     */
    public Routing reconfigured(GatewayConfig config) {
        return new Routing(this, config);
    }

    public Backends backends() { return backends; }
    public BackendStates states() { return states; }
    public Pools pools() { return pools; }
    public Identities identities() { return identities; }
    public Clock clock() { return clock; }
    public Delay delay() { return delay; }
    /** What replicas share about backends; empty without a shared store. */
    public Optional<BackendSharing> sharing() { return sharing; }

    /**
     * Closes what only this routing used, once its requests in flight are done: the clients
     * {@code successor} did not take over and the identities' token sources.
     */
    public Future<Void> retire(Routing successor) {
        return Future.all(backends.closeExcept(successor.backends), identities.close()).mapEmpty();
    }

    public Future<Void> close() {
        probes.stop();
        Future<Void> unshared = sharing.map(BackendSharing::close).orElse(Future.succeededFuture());
        return Future.all(backends.close(), identities.close(), unshared).mapEmpty();
    }
}
