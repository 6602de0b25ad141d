package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.ledger.AccountingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code gateway:} section: where Spillway listens, who may call it, which backends exist and
 * which deployment aliases route to them. Immutable; a reload replaces the whole snapshot.
 */
public record GatewayConfig(
        String host,
        int port,
        DataSize maxBodySize,
        Duration bodyTimeout,
        List<StaticKey> keys,
        List<BackendConfig> backends,
        List<DeploymentConfig> deployments,
        AccountingConfig accounting) {

    public static final DataSize DEFAULT_MAX_BODY = DataSize.ofMebibytes(4);

    public GatewayConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host: must not be empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: must be 0-65535, was " + port);
        if (maxBodySize.bytes() < 1024) throw new IllegalArgumentException("max-body-size: must be at least 1KiB, was " + maxBodySize);
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) throw new IllegalArgumentException("body-timeout: must be > 0");
        keys = List.copyOf(keys);
        backends = List.copyOf(backends);
        deployments = List.copyOf(deployments);
    }

    public static GatewayConfig from(ConfigNode n) {
        List<String> known = new ArrayList<>(List.of("host", "port", "max-body-size", "body-timeout", "keys", "backends", "deployments"));
        known.addAll(AccountingConfig.KEYS);
        n.allowOnly(Set.copyOf(known));
        AccountingConfig accounting = AccountingConfig.from(n);
        List<StaticKey> keys = n.list("keys", StaticKey::from);
        List<BackendConfig> backends = n.list("backends", BackendConfig::from);
        List<DeploymentConfig> deployments = n.list("deployments", DeploymentConfig::from);
        checkReferences(n, deployments);
        return n.build(() -> new GatewayConfig(
                n.string("host", "127.0.0.1"),
                n.integer("port", 8080),
                n.size("max-body-size", DEFAULT_MAX_BODY),
                n.duration("body-timeout", Duration.ofSeconds(30)),
                keys, backends, deployments, accounting));
    }

    /** Checks names against the file as written, so a backend with another problem is still known by name. */
    private static void checkReferences(ConfigNode n, List<DeploymentConfig> deployments) {
        Set<String> names = new LinkedHashSet<>();
        List<ConfigNode> declared = n.list("backends", b -> b);
        for (int i = 0; i < declared.size(); i++) {
            String name = declared.get(i).optionalString("name").orElse("");
            if (!name.isEmpty() && !names.add(name)) n.problem("backends[" + i + "].name", "duplicate backend name '" + name + "'");
        }
        Set<String> aliases = new HashSet<>();
        for (int i = 0; i < deployments.size(); i++) {
            DeploymentConfig d = deployments.get(i);
            if (!aliases.add(d.name())) n.problem("deployments[" + i + "].name", "duplicate deployment name '" + d.name() + "'");
            for (int j = 0; j < d.backends().size(); j++) {
                if (!names.contains(d.backends().get(j))) {
                    n.problem("deployments[" + i + "].backends[" + j + "]",
                            "no backend named '" + d.backends().get(j) + "' (known: " + String.join(", ", names) + ")");
                }
            }
        }
    }

    public Optional<DeploymentConfig> deployment(String alias) {
        for (DeploymentConfig d : deployments) if (d.name().equals(alias)) return Optional.of(d);
        return Optional.empty();
    }

    public Optional<BackendConfig> backend(String name) {
        for (BackendConfig b : backends) if (b.name().equals(name)) return Optional.of(b);
        return Optional.empty();
    }
}
