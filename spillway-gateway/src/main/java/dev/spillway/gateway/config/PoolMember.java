package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;

/**
 * One backend's place in a pool: its tier ({@code priority}, lower is tried first: PTU at 0,
 * pay-as-you-go after) and its share within the tier ({@code weight}). Immutable.
 */
public record PoolMember(String backend, int priority, int weight) {
    public PoolMember {
        if (backend == null || backend.isBlank()) throw new IllegalArgumentException("backend: is required");
        if (priority < 0) throw new IllegalArgumentException("priority: must be >= 0, was " + priority);
        if (weight < 1 || weight > 1000) throw new IllegalArgumentException("weight: must be 1-1000, was " + weight);
    }

    /**
     * A list entry: either a backend name, or {@code {backend, priority, weight}}. The priority
     * defaults to the entry's position, so a plain list of names is tried in order.
     */
    static PoolMember from(ConfigNode n, int position) {
        if (!n.has("backend") && !n.has("priority") && !n.has("weight")) {
            String name = n.asString();
            return n.build(() -> new PoolMember(name, position, 1));
        }
        n.allowOnly("backend", "priority", "weight");
        return n.build(() -> new PoolMember(n.requiredString("backend"),
                n.integer("priority", position), n.integer("weight", 1)));
    }
}
