package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import dev.spillway.core.tls.TlsConfig;
import dev.spillway.gateway.access.AccessConfig;
import dev.spillway.gateway.batch.BatchConfig;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.console.ConsoleConfig;
import dev.spillway.gateway.ledger.AccountingConfig;
import dev.spillway.gateway.reload.ReloadConfig;
import dev.spillway.gateway.safety.OutboundHosts;
import dev.spillway.gateway.safety.SafetyConfig;
import dev.spillway.gateway.vault.KeyVaultConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code gateway:} section: where Spillway listens, who may call it, which backends exist and
 * which deployment aliases route to them; the gateway's own {@code region} (preferred when routing),
 * the admin key, the routing policy, the access layer (keys, JWT, limits and their stores), the
 * safety guards on prompts and answers, the batch lane, the listener's {@code tls} (absent:
 * plain HTTP), the operator's {@code console}, the Azure managed {@code identity} it runs as, its
 * {@code key-vault} references and how the file is watched for changes ({@code reload}).
 * Immutable; a reload replaces the whole snapshot (reload.RestartOnly names what it keeps).
 */
public record GatewayConfig(
        String host,
        int port,
        DataSize maxBodySize,
        Duration bodyTimeout,
        List<StaticKey> keys,
        List<BackendConfig> backends,
        List<DeploymentConfig> deployments,
        String region,
        AdminConfig admin,
        RoutingConfig routing,
        AccessConfig access,
        AccountingConfig accounting,
        ServerLimits limits,
        Optional<TlsConfig> tls,
        SafetyConfig safety,
        BatchConfig batch,
        CacheConfig cache,
        ConsoleConfig console,
        Optional<ManagedIdentityConfig> identity,
        KeyVaultConfig keyVault,
        ReloadConfig reload) {

    public static final DataSize DEFAULT_MAX_BODY = DataSize.ofMebibytes(4);

    public GatewayConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host: must not be empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: must be 0-65535, was " + port);
        if (maxBodySize.bytes() < 1024) throw new IllegalArgumentException("max-body-size: must be at least 1KiB, was " + maxBodySize);
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) throw new IllegalArgumentException("body-timeout: must be > 0");
        keys = List.copyOf(keys);
        backends = List.copyOf(backends);
        deployments = List.copyOf(deployments);
        if (region == null) throw new IllegalArgumentException("region: must not be null");
        java.util.Objects.requireNonNull(access, "access");
        java.util.Objects.requireNonNull(tls, "tls");
        java.util.Objects.requireNonNull(safety, "safety");
        java.util.Objects.requireNonNull(batch, "batch");
        java.util.Objects.requireNonNull(cache, "cache");
        java.util.Objects.requireNonNull(console, "console");
        java.util.Objects.requireNonNull(reload, "reload");
        if (identity.isEmpty() && backends.stream().anyMatch(b -> b.auth() == BackendConfig.Auth.MANAGED_IDENTITY)) {
            throw new IllegalArgumentException("identity: is required when a backend has auth: managed-identity");
        }
        if (identity.isEmpty() && !keyVault.references().isEmpty()) {
            throw new IllegalArgumentException("identity: is required to read Key Vault references ("
                    + String.join(", ", keyVault.references().keySet()) + ")");
        }
        if (limits.maxInFlightBytes().bytes() < maxBodySize.bytes()) {
            throw new IllegalArgumentException("max-in-flight-bytes: must be >= max-body-size (" + maxBodySize
                    + "), was " + limits.maxInFlightBytes());
        }
        if (!limits.allowShortKeys()) keys.forEach(GatewayConfig::requireLongKey);
    }

    /** A static key must be hard to guess; one that cannot be read now is reported by whoever reads it. */
    private static void requireLongKey(StaticKey k) {
        int length;
        try {
            length = k.key().value().length();
        } catch (RuntimeException unresolved) {
            return;
        }
        if (length < StaticKey.MIN_LENGTH) {
            throw new IllegalArgumentException("keys: key '" + k.name() + "' has " + length + " characters; static keys"
                    + " need at least " + StaticKey.MIN_LENGTH + " (e.g. openssl rand -hex 32), or set allow-short-keys: true");
        }
    }

    /** The shape before routing: no region, no admin key, default routing. */
    public GatewayConfig(String host, int port, DataSize maxBodySize, Duration bodyTimeout, List<StaticKey> keys,
                         List<BackendConfig> backends, List<DeploymentConfig> deployments) {
        this(host, port, maxBodySize, bodyTimeout, keys, backends, deployments, "", AdminConfig.NONE, RoutingConfig.DEFAULT,
                AccessConfig.DEFAULT, AccountingConfig.defaults(), ServerLimits.DEFAULT, Optional.empty(),
                SafetyConfig.NONE, BatchConfig.DEFAULT, CacheConfig.DEFAULT, ConsoleConfig.DEFAULT, Optional.empty(),
                KeyVaultConfig.none(), ReloadConfig.DEFAULT);
    }

    public static GatewayConfig from(ConfigNode n) {
        Set<String> known = new HashSet<>(AccessConfig.KEYS);
        known.addAll(List.of("host", "port", "max-body-size", "body-timeout", "keys", "backends", "deployments",
                "region", "routing", "tls", "safety", "batch", "cache", "console", "identity", "key-vault", "reload"));
        known.addAll(ServerLimits.KEYS);
        known.addAll(AccountingConfig.KEYS);
        n.allowOnly(known);
        AccessConfig access = AccessConfig.from(n);
        AccountingConfig accounting = AccountingConfig.from(n);
        // gateway.admin is read once, by the access layer; routing's admin endpoint shares its key.
        AdminConfig admin = new AdminConfig(access.adminKey());
        RoutingConfig routing = n.object("routing", RoutingConfig::from);
        BatchConfig batch = n.object("batch", BatchConfig::from);
        CacheConfig cache = n.object("cache", CacheConfig::from);
        ReloadConfig reload = n.object("reload", ReloadConfig::from);
        ServerLimits limits = ServerLimits.from(n);
        List<StaticKey> keys = n.list("keys", StaticKey::from);
        List<BackendConfig> backends = n.list("backends", BackendConfig::from);
        List<DeploymentConfig> deployments = n.list("deployments", DeploymentConfig::from);
        Optional<TlsConfig> tls = TlsConfig.from(n);
        SafetyConfig safety = SafetyConfig.from(n.child("safety"));
        ConsoleConfig console = ConsoleConfig.from(n.child("console"));
        Optional<ManagedIdentityConfig> identity = n.has("identity")
                ? Optional.ofNullable(n.object("identity", ManagedIdentityConfig::from)) : Optional.empty();
        KeyVaultConfig keyVault = KeyVaultConfig.from(n); // last: it collects the references read above
        checkReferences(n);
        GatewayConfig built = n.build(() -> new GatewayConfig(
                n.string("host", "127.0.0.1"),
                n.integer("port", 8080),
                n.size("max-body-size", DEFAULT_MAX_BODY),
                n.duration("body-timeout", Duration.ofSeconds(30)),
                keys, backends, deployments,
                n.string("region", ""), admin, routing == null ? RoutingConfig.DEFAULT : routing, access, accounting,
                limits, tls, safety, batch, cache == null ? CacheConfig.DEFAULT : cache, console, identity,
                keyVault == null ? KeyVaultConfig.none() : keyVault, reload == null ? ReloadConfig.DEFAULT : reload));
        if (built != null) OutboundHosts.check(built).forEach(v -> n.problem(v.path(), v.message()));
        if (built != null) checkSemanticModel(built).ifPresent(problem -> n.problem("cache.semantic.model", problem));
        return built;
    }

    /**
     * A {@code deployment:NAME} semantic model must be a deployment of this file that serves
     * embeddings, which the gateway knows only by its backends' names upstream: every one must
     * name an embeddings model ({@code text-embedding-3-small}, {@code my-embedding-ada}), as
     * Azure and OpenAI name them.
     */
    static Optional<String> checkSemanticModel(GatewayConfig config) {
        Optional<String> name = config.cache().semantic().deployment();
        if (name.isEmpty()) return Optional.empty();
        Optional<DeploymentConfig> d = config.deployment(name.get());
        if (d.isEmpty()) {
            return Optional.of("no deployment named '" + name.get() + "' (known: "
                    + String.join(", ", config.deployments().stream().map(DeploymentConfig::name).toList()) + ")");
        }
        for (String backend : d.get().backends()) {
            String upstream = config.backend(backend).map(BackendConfig::deployment).orElse("");
            if (!upstream.toLowerCase(java.util.Locale.ROOT).contains("embedding")) {
                return Optional.of("deployment '" + name.get() + "' is not an embeddings model: backend '" + backend
                        + "' serves '" + upstream + "' (an embeddings model's name contains 'embedding')");
            }
        }
        return Optional.empty();
    }

    /** Checks names against the file as written, so a backend with another problem is still known by name. */
    private static void checkReferences(ConfigNode n) {
        Set<String> names = new LinkedHashSet<>();
        List<ConfigNode> declared = n.list("backends", b -> b);
        for (int i = 0; i < declared.size(); i++) {
            String name = declared.get(i).optionalString("name").orElse("");
            if (!name.isEmpty() && !names.add(name)) n.problem("backends[" + i + "].name", "duplicate backend name '" + name + "'");
        }
        Set<String> aliases = new HashSet<>();
        List<ConfigNode> written = n.list("deployments", d -> d);
        for (int i = 0; i < written.size(); i++) {
            ConfigNode d = written.get(i);
            String alias = d.optionalString("name").orElse("");
            if (!alias.isEmpty() && !aliases.add(alias)) n.problem("deployments[" + i + "].name", "duplicate deployment name '" + alias + "'");
            checkMembers(d, names);
            d.list("app-pools", p -> p).forEach(pool -> checkMembers(pool, names));
        }
    }

    /** Checks a pool's backend names as written, so an entry with another problem keeps its index. */
    private static void checkMembers(ConfigNode pool, Set<String> names) {
        List<ConfigNode> entries = pool.list("backends", e -> e);
        for (int j = 0; j < entries.size(); j++) {
            ConfigNode e = entries.get(j);
            boolean object = e.has("backend") || e.has("priority") || e.has("weight");
            String name = object ? e.optionalString("backend").orElse("") : String.valueOf(e.asString());
            if (!name.isEmpty() && !names.contains(name)) {
                pool.problem("backends[" + j + "]", "no backend named '" + name + "' (known: " + String.join(", ", names) + ")");
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
