package dev.spillway.gateway.access.jwt;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code gateway.jwt} section: trusted issuers, the roles each deployment requires
 * ({@code deployment: "*"} sets the default), the largest token accepted, how often keys are
 * re-read and how often an unknown {@code kid} may trigger a re-read. Immutable.
 */
public record JwtConfig(List<JwtIssuerConfig> issuers, Map<String, Set<String>> requiredRoles, DataSize maxTokenSize,
        Duration jwksRefresh, Duration unknownKidRefreshInterval) {
    public static final JwtConfig NONE = new JwtConfig(List.of(), Map.of(), DataSize.parse("8KB"),
            Duration.ofMinutes(10), Duration.ofSeconds(30));

    public JwtConfig {
        issuers = List.copyOf(issuers);
        requiredRoles = Map.copyOf(requiredRoles);
        if (maxTokenSize.bytes() < 256) throw new IllegalArgumentException("max-token-size: must be >= 256B");
        if (unknownKidRefreshInterval.isNegative()) {
            throw new IllegalArgumentException("unknown-kid-refresh-interval: must be >= 0");
        }
    }

    /** The roles a caller needs for {@code deployment} (one of them suffices); empty means none. */
    public Set<String> rolesFor(String deployment) {
        Set<String> r = requiredRoles.get(deployment);
        return r != null ? r : requiredRoles.getOrDefault("*", Set.of());
    }

    public static JwtConfig from(ConfigNode n) {
        n.allowOnly("issuers", "required-roles", "max-token-size", "jwks-refresh", "unknown-kid-refresh-interval");
        List<JwtIssuerConfig> issuers = n.list("issuers", JwtIssuerConfig::from);
        Map<String, Set<String>> roles = n.list("required-roles", r -> {
            r.allowOnly("deployment", "roles");
            return Map.entry(r.requiredString("deployment"), Set.copyOf(r.strings("roles")));
        }).stream().filter(e -> e.getKey() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b));
        return n.build(() -> new JwtConfig(issuers, roles, n.size("max-token-size", NONE.maxTokenSize()),
                n.duration("jwks-refresh", NONE.jwksRefresh()),
                n.duration("unknown-kid-refresh-interval", NONE.unknownKidRefreshInterval())));
    }
}
