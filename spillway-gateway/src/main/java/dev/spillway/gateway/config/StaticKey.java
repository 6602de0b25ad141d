package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import java.util.Objects;

/** A client key listed in config ({@code gateway.keys}), with the app it belongs to. Immutable. */
public record StaticKey(String name, Secret key, String app, String team) {
    /** Shorter static keys are refused unless {@code gateway.allow-short-keys} is set. */
    public static final int MIN_LENGTH = 32;

    public StaticKey {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: is required");
        Objects.requireNonNull(key, "key: is required");
    }

    public static StaticKey from(ConfigNode n) {
        n.allowOnly("name", "key", "app", "team");
        return n.build(() -> {
            String name = n.requiredString("name");
            return new StaticKey(name, n.secret("key"), n.string("app", name), n.string("team", ""));
        });
    }
}
