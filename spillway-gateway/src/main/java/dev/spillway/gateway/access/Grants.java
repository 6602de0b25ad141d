package dev.spillway.gateway.access;

import dev.spillway.gateway.access.keys.KeyLimits;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller's credential grants beyond its identity: the app key's id and limits, the
 * deployments the key may call (empty = all), and the roles a JWT carried. Immutable.
 */
public record Grants(Optional<String> keyId, KeyLimits limits, Set<String> deployments, Set<String> roles,
        boolean viaJwt) {
    /** A static config key: no key record, no limits of its own, every deployment, no roles. */
    public static final Grants NONE = new Grants(Optional.empty(), KeyLimits.NONE, Set.of(), Set.of(), false);

    public Grants {
        deployments = Set.copyOf(deployments);
        roles = Set.copyOf(roles);
    }

    public boolean allows(String deployment) {
        return deployments.isEmpty() || deployments.contains(deployment);
    }
}
