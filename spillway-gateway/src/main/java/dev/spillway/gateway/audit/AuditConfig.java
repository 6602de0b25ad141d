package dev.spillway.gateway.audit;

import dev.spillway.gateway.redact.Redactor;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import dev.spillway.gateway.ledger.Durability;
import dev.spillway.gateway.ledger.LedgerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code gateway.audit}: the audit log. Immutable, validated.
 *
 * @param mode            {@code mode}, default {@code off} (auditing is opt-in): for apps not listed in {@code apps}
 * @param apps            {@code apps}, default empty: per-app modes, {@code [{app: billing, mode: full}]}
 * @param dir             {@code dir}, default {@code <data-dir>/audit}
 * @param maxBodySize     {@code max-body-size}, default 10 MiB per body; the rest is counted, not stored
 * @param maxInFlight     {@code max-in-flight}, default 64 MiB of body bytes queued for disk; past it,
 *                        chunks are dropped and the record says {@code incomplete} (never blocks)
 * @param defaultRedaction {@code redact-defaults}, default true: API keys, bearer tokens, e-mails, cards
 * @param patterns        {@code redact-patterns}, default none: {@code [{name: ticket, pattern: "T-[0-9]+"}]}
 * @param retention       {@code retention}, default 30d
 * @param segmentSize     {@code segment-size}, default 64 MiB per chain file and per body segment file
 * @param fsync           {@code fsync}, default true
 * @param commitInterval  {@code commit-interval}, default 20ms: how long the chain writer gathers
 *                        records before it writes and fsyncs them as one group
 * @param durability      {@code durability}, default {@code strict}: a reply's last byte waits until its
 *                        record (and its bodies) are on disk; {@code relaxed} does not
 * @param protection      {@code chain-keys}, {@code body-keys}, {@code anchor-file}, {@code anchor-interval}:
 *                        see {@link AuditProtection}; default none (unkeyed, plain bodies, anchored
 *                        in the ledger database only)
 */
public record AuditConfig(AuditMode mode, Map<String, AuditMode> apps, Path dir, DataSize maxBodySize,
        DataSize maxInFlight, boolean defaultRedaction, List<Redactor.Rule> patterns, Duration retention,
        DataSize segmentSize, boolean fsync, Duration commitInterval, Durability durability,
        AuditProtection protection) {

    public AuditConfig {
        apps = Map.copyOf(apps);
        patterns = List.copyOf(patterns);
        if (maxBodySize.bytes() < 1) throw new IllegalArgumentException("max-body-size: must be > 0, was " + maxBodySize);
        if (maxInFlight.bytes() < 65536) throw new IllegalArgumentException("max-in-flight: must be >= 64KiB, was " + maxInFlight);
        if (retention.compareTo(Duration.ofHours(1)) < 0) throw new IllegalArgumentException("retention: must be >= 1h, was " + retention);
        if (segmentSize.bytes() < 4096) throw new IllegalArgumentException("segment-size: must be >= 4KiB, was " + segmentSize);
        LedgerConfig.checkCommitInterval(commitInterval);
        Objects.requireNonNull(durability, "durability: is required");
        Objects.requireNonNull(protection, "protection");
    }

    public static AuditConfig defaults(Path dataDir) {
        return new AuditConfig(AuditMode.OFF, Map.of(), dataDir.resolve("audit"), DataSize.ofMebibytes(10),
                DataSize.ofMebibytes(64), true, List.of(), Duration.ofDays(30), DataSize.ofMebibytes(64), true,
                LedgerConfig.DEFAULT_COMMIT_INTERVAL, Durability.RELAXED, AuditProtection.NONE);
    }

    /** The same settings for the audit log in {@code directory} (the CLI's {@code --dir}). */
    public AuditConfig withDir(Path directory) {
        return new AuditConfig(mode, apps, directory, maxBodySize, maxInFlight, defaultRedaction, patterns, retention,
                segmentSize, fsync, commitInterval, durability, protection);
    }

    public AuditMode modeFor(String app) {
        return apps.getOrDefault(app, mode);
    }

    public Redactor redactor() {
        List<Redactor.Rule> rules = new ArrayList<>(defaultRedaction ? Redactor.defaultRules() : List.of());
        rules.addAll(patterns);
        return new Redactor(rules);
    }

    public static AuditConfig from(ConfigNode node, Path dataDir) {
        List<String> known = new ArrayList<>(List.of("mode", "apps", "dir", "max-body-size", "max-in-flight",
                "redact-defaults", "redact-patterns", "retention", "segment-size", "fsync", "commit-interval", "durability"));
        known.addAll(AuditProtection.KEYS);
        node.allowOnly(known.toArray(String[]::new));
        AuditConfig d = defaults(dataDir);
        AuditMode mode = node.choice("mode", AuditMode.class, d.mode());
        Map<String, AuditMode> apps = new LinkedHashMap<>();
        for (Map.Entry<String, AuditMode> e : node.list("apps", n -> appMode(n, mode))) apps.put(e.getKey(), e.getValue());
        Path dir = dataDir.resolve(node.string("dir", "audit"));
        DataSize maxBody = node.size("max-body-size", d.maxBodySize());
        DataSize inFlight = node.size("max-in-flight", d.maxInFlight());
        boolean defaults = node.bool("redact-defaults", true);
        List<Redactor.Rule> patterns = node.list("redact-patterns", Redactor::custom);
        Duration retention = node.duration("retention", d.retention());
        DataSize segment = node.size("segment-size", d.segmentSize());
        boolean fsync = node.bool("fsync", true);
        Duration interval = node.duration("commit-interval", d.commitInterval());
        Durability durability = node.choice("durability", Durability.class, d.durability());
        AuditProtection protection = AuditProtection.from(node, dataDir);
        AuditConfig built = node.build(() -> new AuditConfig(mode, apps, dir, maxBody, inFlight, defaults, patterns,
                retention, segment, fsync, interval, durability, protection));
        return built == null ? d : built;
    }

    private static Map.Entry<String, AuditMode> appMode(ConfigNode n, AuditMode fallback) {
        n.allowOnly("app", "mode");
        String app = n.requiredString("app");
        AuditMode mode = n.choice("mode", AuditMode.class, fallback);
        return app == null ? null : Map.entry(app, mode);
    }
}
