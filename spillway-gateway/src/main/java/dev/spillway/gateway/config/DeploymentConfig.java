package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A deployment alias clients call (the Azure path's deployment or the body's {@code model}), its
 * shared pool of backends (tiers by priority, weights within a tier, a selection mode) and optional
 * dedicated pools for named apps (noisy-neighbour isolation). Immutable.
 */
public record DeploymentConfig(String name, Selection selection, List<PoolMember> members, List<AppPool> appPools) {
    /** Most backends a pool may hold (selection state is kept in a 64-bit mask). */
    public static final int MAX_POOL_SIZE = 64;

    /** How a backend is chosen among the usable ones of the first usable tier. */
    public enum Selection { PRIORITY_WEIGHT, ROUND_ROBIN, LEAST_LATENCY, LEAST_UTILIZATION }

    /** A pool reserved for some apps: their requests use these members instead of the shared ones. */
    public record AppPool(List<String> apps, List<PoolMember> members) {
        public AppPool {
            if (apps == null || apps.isEmpty()) throw new IllegalArgumentException("apps: must name at least one app");
            apps = List.copyOf(apps);
            members = checkedMembers(members);
        }

        static AppPool from(ConfigNode n) {
            n.allowOnly("apps", "backends");
            List<PoolMember> members = readMembers(n);
            return n.build(() -> new AppPool(n.strings("apps"), members));
        }
    }

    public DeploymentConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: is required");
        members = checkedMembers(members);
        appPools = List.copyOf(appPools);
    }

    /** A plain ordered failover list: each backend is its own tier, in the order given. */
    public DeploymentConfig(String name, List<String> backends) {
        this(name, Selection.PRIORITY_WEIGHT, ordered(backends), List.of());
    }

    public static DeploymentConfig from(ConfigNode n) {
        n.allowOnly("name", "selection", "backends", "app-pools");
        List<PoolMember> members = readMembers(n);
        List<AppPool> appPools = n.list("app-pools", AppPool::from);
        return n.build(() -> new DeploymentConfig(n.requiredString("name"),
                n.choice("selection", Selection.class, Selection.PRIORITY_WEIGHT), members, appPools));
    }

    /** The names of every backend this deployment may use, shared pool first. */
    public List<String> backends() {
        List<String> names = new ArrayList<>();
        members.forEach(m -> names.add(m.backend()));
        appPools.forEach(p -> p.members().forEach(m -> names.add(m.backend())));
        return names;
    }

    private static List<PoolMember> readMembers(ConfigNode n) {
        if (!n.has("backends")) return List.of();
        int[] position = {0};
        return n.list("backends", item -> PoolMember.from(item, position[0]++));
    }

    private static List<PoolMember> ordered(List<String> names) {
        List<PoolMember> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) out.add(new PoolMember(names.get(i), i, 1));
        return out;
    }

    private static List<PoolMember> checkedMembers(List<PoolMember> members) {
        if (members == null || members.isEmpty()) throw new IllegalArgumentException("backends: must name at least one backend");
        if (members.size() > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("backends: at most " + MAX_POOL_SIZE + " per pool, was " + members.size());
        }
        if (members.stream().map(PoolMember::backend).distinct().count() != members.size()) {
            throw new IllegalArgumentException("backends: a backend may appear only once per pool");
        }
        return List.copyOf(members);
    }
}
