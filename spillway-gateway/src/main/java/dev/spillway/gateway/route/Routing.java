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
 * Everything routing keeps for the gateway's life: the backends' HTTP clients, their live states,
 * the pools, the identities that sign requests, the background health probes and, with a shared
 * store, the sharing of what replicas learn about backends. Started with the
 * gateway, closed with it; the parts are thread-safe.
 */
public final class Routing {
    private final Backends backends;
    private final BackendStates states;
    private final Pools pools;
    private final Identities identities;
    private final HealthProbes probes;
    private final Optional<BackendSharing> sharing;
    private final Clock clock;
    private final Delay delay;

    public Routing(Vertx vertx, GatewayConfig config, Clock clock) {
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

    public Backends backends() { return backends; }
    public BackendStates states() { return states; }
    public Pools pools() { return pools; }
    public Identities identities() { return identities; }
    public Clock clock() { return clock; }
    public Delay delay() { return delay; }
    /** What replicas share about backends; empty without a shared store. */
    public Optional<BackendSharing> sharing() { return sharing; }

    public Future<Void> close() {
        probes.stop();
        Future<Void> unshared = sharing.map(BackendSharing::close).orElse(Future.succeededFuture());
        return Future.all(backends.close(), identities.close(), unshared).mapEmpty();
    }
}
