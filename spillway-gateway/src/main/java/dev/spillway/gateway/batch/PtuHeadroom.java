package dev.spillway.gateway.batch;

import dev.spillway.gateway.route.pool.Pools;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The gateway's headroom: a deployment may take queued work while its shared pool's first tier
 * (PTU) has a usable backend under {@code utilization-limit} by the utilization and remaining-quota
 * readings the router keeps, and no interactive request of the pool waits for a cooldown.
 * Stateless over the live backend states; thread-safe.
 */
final class PtuHeadroom implements Headroom {
    private final Supplier<Pools> pools;
    private final List<String> deployments;
    private final double loadLimit;

    PtuHeadroom(Supplier<Pools> pools, List<String> deployments, double utilizationLimitPercent) {
        this.pools = pools;
        this.deployments = List.copyOf(deployments);
        this.loadLimit = utilizationLimitPercent / 100.0;
    }

    @Override
    public Set<String> deploymentsWithRoom(long now) {
        Set<String> open = new HashSet<>();
        for (String d : deployments) {
            if (pools.get().shared(d).map(p -> p.firstTierHasRoom(now, loadLimit)).orElse(false)) open.add(d);
        }
        return open;
    }

    @Override
    public double ptuUtilizationPercent(long now) {
        double max = 0;
        for (String d : deployments) max = Math.max(max, pools.get().shared(d).map(p -> p.firstTierLoad(now)).orElse(0.0));
        return max * 100;
    }
}
