package dev.spillway.simulator;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.Secret;
import dev.spillway.simulator.azure.AzureConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code simulator:} section: where it listens, its optional API key, the seed that makes its
 * output deterministic, default latency, its deployments, config-driven faults and, with
 * {@code azure:}, Azure's identity endpoints and Key Vault. Immutable; build
 * it with {@link #from(ConfigNode)} or, in tests, {@link #demo()} and the {@code with...} methods.
 */
public record SimulatorConfig(
        String host,
        int port,
        Optional<Secret> apiKey,
        long seed,
        String region,
        Latency latency,
        List<DeploymentConfig> deployments,
        List<FaultRule> faults,
        int eventLoops,
        Optional<AzureConfig> azure) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8081;
    public static final long DEFAULT_SEED = 42;
    public static final String DEFAULT_REGION = "Local Simulator";

    public SimulatorConfig {
        Objects.requireNonNull(host, "host: is required");
        Objects.requireNonNull(apiKey, "api-key: is required");
        Objects.requireNonNull(region, "region: is required");
        Objects.requireNonNull(latency, "latency: is required");
        Objects.requireNonNull(azure, "azure");
        deployments = List.copyOf(deployments);
        faults = List.copyOf(faults);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: must be 0-65535, was " + port);
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("event-loops: must be 1-64, was " + eventLoops);
        }
        if (deployments.isEmpty()) throw new IllegalArgumentException("deployments: must name at least one deployment");
        Set<String> names = new HashSet<>();
        for (DeploymentConfig d : deployments) {
            if (!names.add(d.name())) throw new IllegalArgumentException("deployments: duplicate name '" + d.name() + "'");
        }
        for (FaultRule f : faults) {
            if (f.deployment().isPresent() && !names.contains(f.deployment().get())) {
                throw new IllegalArgumentException("faults: unknown deployment '" + f.deployment().get() + "'");
            }
        }
    }

    /** One PTU and one pay-as-you-go chat deployment plus an embeddings deployment; zero latency, port 0. */
    public static SimulatorConfig demo() {
        return new SimulatorConfig(DEFAULT_HOST, 0, Optional.empty(), DEFAULT_SEED, DEFAULT_REGION, Latency.ZERO,
                List.of(DeploymentConfig.ptu("gpt-4o-ptu", "gpt-4o-2024-11-20", 2000),
                        DeploymentConfig.payAsYouGo("gpt-4o-paygo", "gpt-4o-2024-11-20", 30_000),
                        DeploymentConfig.payAsYouGo("text-embedding-3-small", "text-embedding-3-small", 350_000)),
                List.of(), defaultEventLoops(), Optional.empty());
    }

    /** Reads the {@code simulator:} section; problems are recorded on {@code node} with their paths. */
    public static SimulatorConfig from(ConfigNode node) {
        int problemsBefore = node.problems().size();
        node.allowOnly("host", "port", "api-key", "seed", "region", "latency", "deployments", "faults", "event-loops",
                "azure");
        String host = node.string("host", DEFAULT_HOST);
        int port = node.integer("port", DEFAULT_PORT);
        Optional<Secret> apiKey = node.has("api-key") ? Optional.ofNullable(node.secret("api-key")) : Optional.empty();
        long seed = node.longValue("seed", DEFAULT_SEED);
        String region = node.string("region", DEFAULT_REGION);
        Latency latency = Optional.ofNullable(Latency.from(node.child("latency"), Latency.ZERO)).orElse(Latency.ZERO);
        List<DeploymentConfig> deployments = node.list("deployments", d -> DeploymentConfig.from(d, latency));
        if (!node.has("deployments")) node.problem("deployments", "is required (at least one deployment)");
        List<FaultRule> faults = node.list("faults", FaultRule::from);
        int eventLoops = node.integer("event-loops", defaultEventLoops());
        Optional<AzureConfig> azure = node.has("azure") ? Optional.ofNullable(node.object("azure", AzureConfig::from))
                : Optional.empty();
        if (node.problems().size() > problemsBefore) return null;
        return node.build(() -> new SimulatorConfig(host, port, apiKey, seed, region, latency, deployments, faults,
                eventLoops, azure));
    }

    public SimulatorConfig withPort(int value) {
        return new SimulatorConfig(host, value, apiKey, seed, region, latency, deployments, faults, eventLoops, azure);
    }

    public SimulatorConfig withHost(String value) {
        return new SimulatorConfig(value, port, apiKey, seed, region, latency, deployments, faults, eventLoops, azure);
    }

    public SimulatorConfig withApiKey(String key) {
        return new SimulatorConfig(host, port, Optional.of(Secret.literal(key)), seed, region, latency, deployments,
                faults, eventLoops, azure);
    }

    public SimulatorConfig withSeed(long value) {
        return new SimulatorConfig(host, port, apiKey, value, region, latency, deployments, faults, eventLoops, azure);
    }

    public SimulatorConfig withLatency(Latency value) {
        return new SimulatorConfig(host, port, apiKey, seed, region, value, deployments, faults, eventLoops, azure);
    }

    public SimulatorConfig withDeployments(List<DeploymentConfig> value) {
        return new SimulatorConfig(host, port, apiKey, seed, region, latency, value, faults, eventLoops, azure);
    }

    /** This config with {@code replacement} in place of the deployment of the same name (or added). */
    public SimulatorConfig withDeployment(DeploymentConfig replacement) {
        List<DeploymentConfig> list = new ArrayList<>(deployments);
        list.removeIf(d -> d.name().equals(replacement.name()));
        list.add(replacement);
        return withDeployments(list);
    }

    public SimulatorConfig withFaults(List<FaultRule> value) {
        return new SimulatorConfig(host, port, apiKey, seed, region, latency, deployments, value, eventLoops, azure);
    }

    /** This config playing Azure's identity endpoints and Key Vault as {@code value} says. */
    public SimulatorConfig withAzure(AzureConfig value) {
        return new SimulatorConfig(host, port, apiKey, seed, region, latency, deployments, faults, eventLoops,
                Optional.of(value));
    }

    public SimulatorConfig withEventLoops(int value) {
        return new SimulatorConfig(host, port, apiKey, seed, region, latency, deployments, faults, value, azure);
    }

    /** The deployment named {@code name}, if any. */
    public Optional<DeploymentConfig> deployment(String name) {
        return deployments.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The latency that applies to {@code deployment}: its own, or the section's default. */
    public Latency latencyOf(DeploymentConfig deployment) {
        return deployment.latency().orElse(latency);
    }

    private static int defaultEventLoops() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
