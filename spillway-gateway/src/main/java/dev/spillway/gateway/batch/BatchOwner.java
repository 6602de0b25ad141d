package dev.spillway.gateway.batch;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who created a batch, kept with it so each line runs as that caller: the credential's name, app,
 * team, user and key prefix; the app key's id (its limits and revocation are looked up again for
 * every line), and a JWT caller's roles. Never the secret. Immutable.
 */
public record BatchOwner(String keyName, String app, String team, String user, String keyPrefix,
        Optional<String> keyId, Set<String> roles, boolean viaJwt) {
    public BatchOwner {
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(keyId, "keyId");
        roles = Set.copyOf(roles);
    }
}
