package dev.spillway.gateway.safety;

import dev.spillway.core.config.ConfigNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code gateway.safety} section: the guards, tried in order; the first that covers a request
 * (its app, key and deployment) applies to it, and a request no guard covers is not examined.
 * Default: no guards. Immutable.
 */
public record SafetyConfig(List<GuardConfig> guards) {
    public static final SafetyConfig NONE = new SafetyConfig(List.of());

    public SafetyConfig {
        guards = List.copyOf(guards);
        Set<String> names = new HashSet<>();
        for (GuardConfig g : guards) {
            if (!names.add(g.name())) throw new IllegalArgumentException("guards: duplicate guard name '" + g.name() + "'");
        }
    }

    public Optional<GuardConfig> guardFor(String app, String key, String deployment) {
        for (GuardConfig g : guards) if (g.covers(app, key, deployment)) return Optional.of(g);
        return Optional.empty();
    }

    public static SafetyConfig from(ConfigNode n) {
        if (!n.isPresent()) return NONE;
        n.allowOnly("guards");
        List<GuardConfig> guards = n.list("guards", GuardConfig::from);
        SafetyConfig built = n.build(() -> new SafetyConfig(guards));
        return built == null ? NONE : built;
    }
}
