package dev.spillway.gateway.access.keys;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway knows about one app key: never the secret itself, only its SHA-256 and a short
 * display prefix. {@code deployments} empty means every deployment. Immutable.
 */
public record AppKey(String id, String secretHash, String displayPrefix, String name, String app,
        Optional<String> team, Optional<String> owner, Set<String> deployments, KeyLimits limits,
        Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> revokedAt) {
    public AppKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(displayPrefix, "displayPrefix");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(app, "app");
        if (app.isBlank()) throw new IllegalArgumentException("app: must not be blank");
        deployments = Set.copyOf(deployments);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether the key may be used at {@code now}: not revoked and not past its expiry. */
    public boolean activeAt(Instant now) {
        return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
    }

    public boolean allows(String deployment) {
        return deployments.isEmpty() || deployments.contains(deployment);
    }

    public AppKey withExpiry(Instant at) {
        return new AppKey(id, secretHash, displayPrefix, name, app, team, owner, deployments, limits, createdAt,
                Optional.of(at), revokedAt);
    }

    public AppKey revokedAt(Instant at) {
        return new AppKey(id, secretHash, displayPrefix, name, app, team, owner, deployments, limits, createdAt,
                expiresAt, Optional.of(at));
    }
}
