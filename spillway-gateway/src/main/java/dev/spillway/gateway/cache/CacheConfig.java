package dev.spillway.gateway.cache;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.config.DataSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code gateway.cache}: the response cache. Off unless {@code enabled} (for every app) or an
 * entry of {@code apps} turns it on for one app. Entries live in memory (bounded by
 * {@code max-size}) or, with {@code gateway.store.type: redis}, in Redis for every replica.
 * Immutable, validated.
 *
 * @param enabled        {@code enabled}, default false: the cache for apps not listed in {@code apps}
 * @param ttl            {@code ttl}, default 1h: how long an answer is served
 * @param maxSize        {@code max-size}, default 64 MiB: the in-memory store's bound (bytes of answers)
 * @param maxEntrySize   {@code max-entry-size}, default 256 KiB: a bigger answer is not stored
 * @param partition      {@code partition}, default {@code app}: who shares answers within an app
 * @param onlyDeterministic {@code only-deterministic}, default true: store only requests with
 *                       {@code temperature: 0} or that ask for it ({@code x-spillway-cache: store})
 * @param hitsCountTokens {@code hits-count-tokens}, default false: a hit's tokens count against the
 *                       caller's token quota and budget as if the backend had answered
 * @param semantic       {@code semantic}: the semantic cache (off by default), see {@link Semantic}
 * @param apps           {@code apps}: per-app overrides, {@code [{app: chat, enabled: true, ttl: 10m}]}
 */
public record CacheConfig(boolean enabled, Duration ttl, DataSize maxSize, DataSize maxEntrySize,
        Scope partition, boolean onlyDeterministic, boolean hitsCountTokens, Semantic semantic,
        Map<String, AppCache> apps) {

    /** Who shares cached answers within an app: the whole app, or only the same key, team or user. */
    public enum Scope { APP, KEY, TEAM, USER }

    public static final CacheConfig DEFAULT = new CacheConfig(false, Duration.ofHours(1), DataSize.ofMebibytes(64),
            DataSize.ofKibibytes(256), Scope.APP, true, false, Semantic.DEFAULT, Map.of());

    public CacheConfig {
        checkTtl("ttl", ttl);
        if (maxSize.bytes() < 1024 * 1024) throw new IllegalArgumentException("max-size: must be >= 1MiB, was " + maxSize);
        if (maxEntrySize.bytes() < 1024 || maxEntrySize.bytes() > maxSize.bytes()) {
            throw new IllegalArgumentException("max-entry-size: must be between 1KiB and max-size (" + maxSize
                    + "), was " + maxEntrySize);
        }
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(semantic, "semantic");
        apps = Map.copyOf(apps);
    }

    /**
     * {@code semantic}: answers to questions that mean the same ({@link SemanticIndex}).
     *
     * @param enabled      {@code enabled}, default false; needs a semantic index on the class path
     * @param threshold    {@code threshold}, default 0.995: the least cosine similarity served as a hit
     *                     (docs/caching.md: at lower thresholds the local models serve near-misses)
     * @param model        {@code model}, default {@code all-minilm-l6-v2-q}: the embedding model, an
     *                     in-process model of spillway-retrieval or {@code deployment:NAME}, the
     *                     gateway's own embeddings deployment {@code NAME} (called through the routing)
     * @param embedTimeout {@code embed-timeout}, default 1s: how long a lookup waits for a
     *                     {@code deployment:} embedding before it is a miss
     * @param maxEntries   {@code max-entries}, default 20000: questions kept (oldest out first),
     *                     in the shared store and in each replica's index
     * @param maxSize      {@code max-size}, default 48 MiB: each replica's index bound, in bytes
     * @param embedThreads {@code embed-threads}, default 1: threads that embed and search
     * @param sharedIn     {@code shared-in}, default {@code store}: where the entries every replica
     *                     follows live, see {@link SharedIn}
     */
    public record Semantic(boolean enabled, double threshold, String model, Duration embedTimeout, int maxEntries,
            DataSize maxSize, int embedThreads, SharedIn sharedIn) {
        /**
         * {@code store}: where {@code gateway.store.type} says (memory: this process; redis: Redis);
         * {@code database}: the PostgreSQL database of {@code gateway.database}.
         */
        public enum SharedIn { STORE, DATABASE }

        /** The prefix of a {@code model} that names one of the gateway's own deployments. */
        public static final String DEPLOYMENT = "deployment:";

        public static final Semantic DEFAULT = new Semantic(false, 0.995, "all-minilm-l6-v2-q", Duration.ofSeconds(1),
                20_000, DataSize.ofMebibytes(48), 1, SharedIn.STORE);

        public Semantic {
            checkThreshold("semantic.threshold", threshold);
            if (model.isBlank()) throw new IllegalArgumentException("semantic.model: must not be empty");
            if (model.startsWith(DEPLOYMENT) && model.substring(DEPLOYMENT.length()).isBlank()) {
                throw new IllegalArgumentException("semantic.model: 'deployment:' must name a deployment");
            }
            if (embedTimeout.compareTo(Duration.ofMillis(10)) < 0 || embedTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("semantic.embed-timeout: must be between 10ms and 30s, was "
                        + embedTimeout);
            }
            if (maxEntries < 1) throw new IllegalArgumentException("semantic.max-entries: must be >= 1, was " + maxEntries);
            if (maxSize.bytes() < 1024 * 1024) {
                throw new IllegalArgumentException("semantic.max-size: must be >= 1MiB, was " + maxSize);
            }
            if (embedThreads < 1 || embedThreads > 64) {
                throw new IllegalArgumentException("semantic.embed-threads: must be 1-64, was " + embedThreads);
            }
            Objects.requireNonNull(sharedIn, "semantic.shared-in");
        }

        /** Only on and off, with the other settings at their defaults. */
        public Semantic(boolean enabled, double threshold) {
            this(enabled, threshold, DEFAULT.model(), DEFAULT.embedTimeout(), DEFAULT.maxEntries(), DEFAULT.maxSize(),
                    DEFAULT.embedThreads(), DEFAULT.sharedIn());
        }

        /** The gateway deployment {@code model} names ({@code deployment:NAME}), or empty for an in-process model. */
        public Optional<String> deployment() {
            return model.startsWith(DEPLOYMENT) ? Optional.of(model.substring(DEPLOYMENT.length())) : Optional.empty();
        }

        static Semantic from(ConfigNode n) {
            n.allowOnly("enabled", "threshold", "model", "embed-timeout", "max-entries", "max-size", "embed-threads",
                    "shared-in");
            Semantic d = DEFAULT;
            return n.build(() -> new Semantic(n.bool("enabled", d.enabled()), n.decimal("threshold", d.threshold()),
                    n.string("model", d.model()), n.duration("embed-timeout", d.embedTimeout()),
                    n.integer("max-entries", d.maxEntries()),
                    n.size("max-size", d.maxSize()), n.integer("embed-threads", d.embedThreads()),
                    n.choice("shared-in", SharedIn.class, d.sharedIn())));
        }
    }

    /** One {@code apps} entry: what it does not set comes from the section above it. */
    public record AppCache(String app, Optional<Boolean> enabled, Optional<Duration> ttl, Optional<Scope> partition,
            Optional<Boolean> semantic, Optional<Double> threshold) {
        public AppCache {
            if (app.isBlank()) throw new IllegalArgumentException("app: must not be blank");
            ttl.ifPresent(t -> checkTtl("ttl", t));
            threshold.ifPresent(t -> checkThreshold("threshold", t));
        }

        static AppCache from(ConfigNode n) {
            n.allowOnly("app", "enabled", "ttl", "partition", "semantic", "threshold");
            return n.build(() -> new AppCache(n.requiredString("app"),
                    n.has("enabled") ? Optional.of(n.bool("enabled", false)) : Optional.empty(),
                    n.has("ttl") ? Optional.of(n.duration("ttl", Duration.ZERO)) : Optional.empty(),
                    n.has("partition") ? Optional.of(n.choice("partition", Scope.class, Scope.APP)) : Optional.empty(),
                    n.has("semantic") ? Optional.of(n.bool("semantic", false)) : Optional.empty(),
                    n.has("threshold") ? Optional.of(n.decimal("threshold", 0)) : Optional.empty()));
        }
    }

    /** What the cache does for one app, its overrides applied. */
    public record AppPolicy(boolean enabled, Duration ttl, Scope partition, boolean semantic, double threshold) {
    }

    public AppPolicy forApp(String app) {
        AppCache a = apps.get(app);
        if (a == null) return new AppPolicy(enabled, ttl, partition, enabled && semantic.enabled(), semantic.threshold());
        boolean on = a.enabled().orElse(enabled);
        return new AppPolicy(on, a.ttl().orElse(ttl), a.partition().orElse(partition),
                on && semantic.enabled() && a.semantic().orElse(true), a.threshold().orElse(semantic.threshold()));
    }

    /** Whether any app may use the cache at all (when none can, the policy is not in the pipeline). */
    public boolean anyEnabled() {
        return enabled || apps.values().stream().anyMatch(a -> a.enabled().orElse(false));
    }

    public static CacheConfig from(ConfigNode n) {
        n.allowOnly("enabled", "ttl", "max-size", "max-entry-size", "partition", "only-deterministic",
                "hits-count-tokens", "semantic", "apps");
        CacheConfig d = DEFAULT;
        Semantic semantic = n.object("semantic", Semantic::from);
        List<AppCache> apps = n.list("apps", AppCache::from);
        Map<String, AppCache> byApp = apps.stream().collect(Collectors.toMap(AppCache::app, Function.identity(),
                (a, b) -> {
                    n.problem("apps", "app '" + a.app() + "' is listed twice");
                    return a;
                }));
        return n.build(() -> new CacheConfig(n.bool("enabled", d.enabled()), n.duration("ttl", d.ttl()),
                n.size("max-size", d.maxSize()), n.size("max-entry-size", d.maxEntrySize()),
                n.choice("partition", Scope.class, d.partition()), n.bool("only-deterministic", d.onlyDeterministic()),
                n.bool("hits-count-tokens", d.hitsCountTokens()), semantic == null ? Semantic.DEFAULT : semantic,
                byApp));
    }

    private static void checkTtl(String key, Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException(key + ": must be between 1s and 30d, was " + ttl);
        }
    }

    private static void checkThreshold(String key, double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException(key + ": must be > 0 and <= 1, was " + threshold);
        }
    }
}
