package dev.spillway.gateway.route.pool;

import dev.spillway.gateway.config.DeploymentConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.config.PoolMember;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every pool of the gateway: one shared pool per deployment alias and the dedicated pools of apps
 * that have one. Built from one config (a reload builds the next); lookups are read-only, so it is thread-safe.
 */
public final class Pools {
    private final Map<String, Pool> shared = new HashMap<>();
    private final Map<String, Map<String, Pool>> byApp = new HashMap<>();
    private final List<Pool> all = new ArrayList<>();

    public Pools(GatewayConfig config, BackendStates states) {
        for (DeploymentConfig d : config.deployments()) {
            Pool pool = pool(d.name(), d.selection(), d.members(), states, config.region());
            shared.put(d.name(), pool);
            all.add(pool);
            Map<String, Pool> apps = new HashMap<>();
            for (DeploymentConfig.AppPool p : d.appPools()) {
                Pool dedicated = pool(d.name() + "/" + String.join(",", p.apps()), d.selection(), p.members(),
                        states, config.region());
                all.add(dedicated);
                p.apps().forEach(app -> apps.put(app, dedicated));
            }
            byApp.put(d.name(), apps);
        }
    }

    private static Pool pool(String name, DeploymentConfig.Selection selection, List<PoolMember> members,
                             BackendStates states, String region) {
        List<BackendState> backends = new ArrayList<>();
        int[] priorities = new int[members.size()];
        int[] weights = new int[members.size()];
        for (int i = 0; i < members.size(); i++) {
            backends.add(states.get(members.get(i).backend()));
            priorities[i] = members.get(i).priority();
            weights[i] = members.get(i).weight();
        }
        return new Pool(name, selection, backends, priorities, weights, region);
    }

    /** The pool serving {@code app} for {@code alias}: its dedicated pool if it has one, else the shared one. */
    public Optional<Pool> forRequest(String alias, String app) {
        Map<String, Pool> apps = byApp.get(alias);
        if (apps == null) return Optional.empty();
        Pool dedicated = apps.get(app);
        return Optional.of(dedicated != null ? dedicated : shared.get(alias));
    }

    /** The shared pool of a deployment alias. */
    public Optional<Pool> shared(String alias) {
        return Optional.ofNullable(shared.get(alias));
    }

    /** The pools with no healthy backend whose breaker admits calls; empty while all is well. */
    public List<String> poolsWithoutHealthyBackend() {
        List<String> down = new ArrayList<>();
        for (Pool p : all) if (!p.anyHealthy()) down.add(p.name());
        return down;
    }
}
