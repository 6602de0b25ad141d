package dev.spillway.gateway.route;

import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.route.health.HealthProbes;
import dev.spillway.gateway.route.identity.Identities;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.route.pool.Pools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Everything routing keeps for the gateway's life: the backends' HTTP clients, their live states,
 * the pools, the identities that sign requests and the background health probes. Started with the
 * gateway, closed with it; the parts are thread-safe.
 */
public final class Routing {
    private final Backends backends;
    private final BackendStates states;
    private final Pools pools;
    private final Identities identities;
    private final HealthProbes probes;
    private final Clock clock;
    private final Delay delay;

    public Routing(Vertx vertx, GatewayConfig config, Clock clock) {
        this.clock = clock;
        this.delay = Delay.of(vertx);
        this.backends = new Backends(vertx, config.backends());
        this.states = new BackendStates(config.backends(), config.routing(), clock);
        this.pools = new Pools(config, states);
        this.identities = new Identities(vertx, config.backends(), config.identity(), clock, delay);
        this.probes = new HealthProbes(vertx, backends, identities);
        probes.start(states);
    }

    public Backends backends() { return backends; }
    public BackendStates states() { return states; }
    public Pools pools() { return pools; }
    public Identities identities() { return identities; }
    public Clock clock() { return clock; }
    public Delay delay() { return delay; }

    public Future<Void> close() {
        probes.stop();
        return Future.all(backends.close(), identities.close()).mapEmpty();
    }
}
