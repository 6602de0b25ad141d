package dev.spillway.retrieval;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.retrieval.embed.GatewayEmbedderConfig;
import dev.spillway.retrieval.embed.LocalModel;
import dev.spillway.retrieval.index.SearchTuning;
import dev.spillway.retrieval.ingest.AccessRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code chat.retrieval} section: where the index lives, which embedder fills it, how documents
 * are chunked, how hybrid search fuses, and who may read what. Every key and its default is listed
 * in docs/retrieval.md. Immutable.
 */
public record RetrievalConfig(
        Path indexDir,
        Path modelCacheDir,
        EmbedderKind embedder,
        LocalModel localModel,
        Optional<GatewayEmbedderConfig> gateway,
        int embedThreads,
        int embedMaxTokens,
        int chunkSize,
        int chunkOverlap,
        SearchTuning search,
        List<AccessRule> accessGroups,
        Set<String> defaultGroups) {

    /** Which {@link dev.spillway.retrieval.embed.Embedder} builds the vectors. */
    public enum EmbedderKind { LOCAL, GATEWAY }

    public static final RetrievalConfig DEFAULTS = new RetrievalConfig(Path.of("data/index"), Path.of("data/models"),
            EmbedderKind.LOCAL, LocalModel.BGE_SMALL_EN_V15_Q, Optional.empty(), 1, 256, 1000, 150, SearchTuning.DEFAULTS, List.of(), Set.of());

    public RetrievalConfig {
        Objects.requireNonNull(indexDir, "index-dir: is required");
        Objects.requireNonNull(modelCacheDir, "model-cache-dir: is required");
        Objects.requireNonNull(localModel, "local-model: is required");
        if (embedder == EmbedderKind.GATEWAY && gateway.isEmpty()) {
            throw new IllegalArgumentException("gateway: is required when embedder is 'gateway'");
        }
        if (embedThreads < 1 || embedThreads > 64) {
            throw new IllegalArgumentException("embed-threads: must be 1-64, was " + embedThreads);
        }
        if (embedMaxTokens < 16 || embedMaxTokens > 512) {
            throw new IllegalArgumentException("embed-max-tokens: must be 16-512, was " + embedMaxTokens);
        }
        if (chunkSize < 200 || chunkSize > 8000) {
            throw new IllegalArgumentException("chunk-size: must be 200-8000 characters, was " + chunkSize);
        }
        if (chunkOverlap < 0 || chunkOverlap > chunkSize / 2) {
            throw new IllegalArgumentException("chunk-overlap: must be 0 to half of chunk-size, was " + chunkOverlap);
        }
        accessGroups = List.copyOf(accessGroups);
        defaultGroups = Set.copyOf(defaultGroups);
    }

    /** Reads {@code chat.retrieval}; a missing section gives {@link #DEFAULTS}. */
    public static RetrievalConfig from(ConfigNode node) {
        node.allowOnly("index-dir", "model-cache-dir", "embedder", "local-model", "gateway", "embed-threads", "embed-max-tokens", "chunk-size",
                "chunk-overlap", "candidates", "fusion", "rrf-k", "text-weight", "refresh-interval", "access-groups", "default-groups");
        RetrievalConfig d = DEFAULTS;
        Path index = Path.of(node.string("index-dir", d.indexDir().toString()));
        Path models = Path.of(node.string("model-cache-dir", d.modelCacheDir().toString()));
        EmbedderKind kind = node.choice("embedder", EmbedderKind.class, d.embedder());
        String localId = node.string("local-model", d.localModel().id());
        LocalModel local = LocalModel.byId(localId).orElseGet(() -> {
            node.problem("local-model", "must be one of " + Arrays.stream(LocalModel.values()).map(LocalModel::id)
                    .toList() + ", was '" + localId + "'");
            return d.localModel();
        });
        Optional<GatewayEmbedderConfig> gateway = GatewayEmbedderConfig.optionalFrom(node.child("gateway"));
        int threads = node.integer("embed-threads", d.embedThreads());
        int maxTokens = node.integer("embed-max-tokens", d.embedMaxTokens());
        int size = node.integer("chunk-size", d.chunkSize());
        int overlap = node.integer("chunk-overlap", d.chunkOverlap());
        int candidates = node.integer("candidates", d.search().candidates());
        SearchTuning.Fusion fusion = node.choice("fusion", SearchTuning.Fusion.class, d.search().fusion());
        int rrfK = node.integer("rrf-k", d.search().rrfK());
        double textWeight = node.decimal("text-weight", d.search().textWeight());
        Duration refresh = node.duration("refresh-interval", d.search().refreshInterval());
        List<AccessRule> rules = node.list("access-groups", AccessRule::from);
        Set<String> defaults = Set.copyOf(node.strings("default-groups"));
        SearchTuning tuning = node.build(() -> new SearchTuning(candidates, fusion, rrfK, textWeight, refresh));
        if (tuning == null) return DEFAULTS; // the problem is already recorded at its path
        RetrievalConfig built = node.build(() -> new RetrievalConfig(index, models, kind, local, gateway, threads, maxTokens, size,
                overlap, tuning, rules, defaults));
        return built == null ? DEFAULTS : built;
    }
}
