package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import java.util.List;

/**
 * A deployment alias clients call (the Azure path's deployment or the body's {@code model}) and the
 * backends that serve it, tried in order. Immutable.
 */
public record DeploymentConfig(String name, List<String> backends) {
    public DeploymentConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: is required");
        if (backends == null || backends.isEmpty()) throw new IllegalArgumentException("backends: must name at least one backend");
        backends = List.copyOf(backends);
    }

    public static DeploymentConfig from(ConfigNode n) {
        n.allowOnly("name", "backends");
        return n.build(() -> new DeploymentConfig(n.requiredString("name"), n.strings("backends")));
    }
}
