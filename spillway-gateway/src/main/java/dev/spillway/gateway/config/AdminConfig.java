package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.util.Optional;

/**
 * The {@code gateway.admin} section: the key that opens the admin endpoints ({@code GET /admin/...}).
 * Without a key the admin endpoints answer 404. Immutable.
 */
public record AdminConfig(Optional<Secret> key) {
    public static final AdminConfig NONE = new AdminConfig(Optional.empty());

    public static AdminConfig from(ConfigNode n) {
        if (!n.isPresent()) return NONE;
        n.allowOnly("key");
        return new AdminConfig(n.has("key") ? Optional.ofNullable(n.secret("key")) : Optional.empty());
    }
}
