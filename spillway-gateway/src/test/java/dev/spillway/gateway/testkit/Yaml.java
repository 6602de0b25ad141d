package dev.spillway.gateway.testkit;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import java.util.Map;

/** Reads a {@code gateway:} section from YAML text, failing on any config problem. */
public final class Yaml {
    private Yaml() {
    }

    public static GatewayConfig gateway(String yaml) {
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        return config;
    }
}
