package dev.spillway.cli;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The whole config file: one top-level section per component, each read by its own module. A
 * missing section means that component is not configured. Immutable.
 */
public record SpillwayConfig(Optional<GatewayConfig> gateway, Optional<SimulatorConfig> simulator) {
    static final String[] SECTIONS = {"gateway", "simulator", "chat"};

    /** Reads and validates {@code file}; throws {@code ConfigException} listing every problem. */
    public static SpillwayConfig load(Path file, Map<String, String> environment) {
        return from(ConfigLoader.read(file, environment));
    }

    public static SpillwayConfig from(ConfigNode root) {
        root.allowOnly(SECTIONS);
        if (Arrays.stream(SECTIONS).noneMatch(name -> root.child(name).isPresent())) {
            root.problem("", "a config file holds its settings under the sections 'gateway', 'simulator' or 'chat',"
                    + " and this one has none (indent the settings under 'gateway:', as in docs/configuration.md)");
        }
        Optional<GatewayConfig> gateway = section(root, "gateway").map(GatewayConfig::from);
        Optional<SimulatorConfig> simulator = section(root, "simulator").map(SimulatorConfig::from);
        root.throwIfInvalid();
        return new SpillwayConfig(gateway, simulator);
    }

    private static Optional<ConfigNode> section(ConfigNode root, String name) {
        ConfigNode n = root.child(name);
        return n.isPresent() ? Optional.of(n) : Optional.empty();
    }
}
