package dev.spillway.gateway.cache.semantic;

import dev.spillway.gateway.access.AccessConfig;
import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.SemanticIndex;
import dev.spillway.gateway.cache.SemanticIndexProvider;
import dev.spillway.gateway.pipeline.InternalCalls;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens the {@link EmbeddingSemanticIndex}: the embedding model {@code cache.semantic.model}
 * names (a {@link TextEmbedderProvider} on the class path, or with {@code deployment:NAME} the
 * gateway's own embeddings deployment, a {@link DeploymentEmbedder}), the entries in memory, in Redis
 * ({@code gateway.store.type: redis}) or in PostgreSQL ({@code cache.semantic.shared-in:
 * database}), each shared kind a {@link SemanticStoreProvider}, and this replica's {@link
 * VectorIndex}. Stateless.
 */
public final class LuceneSemanticIndexProvider implements SemanticIndexProvider {
    @Override
    public SemanticIndex open(CacheConfig config, AccessConfig access, Path dataDir, Clock clock,
            InternalCalls gateway) {
        CacheConfig.Semantic semantic = config.semantic();
        if (semantic.deployment().isPresent()) {
            DeploymentEmbedder embedder = new DeploymentEmbedder(semantic.deployment().get(), gateway,
                    semantic.embedTimeout());
            return new EmbeddingSemanticIndex(embedder, store(semantic, access, clock), index(semantic, clock), config,
                    clock);
        }
        TextEmbedder embedder = ServiceLoader.load(TextEmbedderProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.provides(semantic.model())).findFirst()
                .orElseThrow(() -> new IllegalStateException("cache.semantic.model: no embedding model '"
                        + semantic.model() + "' on the class path (the spillway command provides the models of"
                        + " spillway-retrieval)"))
                .open(semantic.model(), dataDir);
        return new EmbeddingSemanticIndex(embedder, store(semantic, access, clock), index(semantic, clock), config,
                clock);
    }

    private static VectorIndex index(CacheConfig.Semantic semantic, Clock clock) {
        return new VectorIndex(semantic.maxEntries(), semantic.maxSize().bytes(), clock);
    }

    private static SemanticStore store(CacheConfig.Semantic semantic, AccessConfig access, Clock clock) {
        return sharedKind(semantic, access)
                .map(kind -> ServiceLoader.load(SemanticStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                        .filter(p -> p.kind() == kind).findFirst()
                        .orElseThrow(() -> new IllegalStateException("gateway.cache.semantic: no "
                                + kind.name().toLowerCase(java.util.Locale.ROOT)
                                + " semantic store on the class path"))
                        .open(access, semantic, clock))
                .orElseGet(() -> new MemorySemanticStore(semantic.maxEntries(), clock));
    }

    /** The shared store the config names, or empty for this process's memory. */
    static Optional<SemanticStoreProvider.Kind> sharedKind(CacheConfig.Semantic semantic, AccessConfig access) {
        if (semantic.sharedIn() == CacheConfig.Semantic.SharedIn.DATABASE) {
            if (!access.database().url().startsWith("jdbc:postgresql:")) {
                throw new IllegalStateException("gateway.cache.semantic.shared-in: database needs a PostgreSQL"
                        + " gateway.database.url (jdbc:postgresql:...), was '" + access.database().url() + "'");
            }
            return Optional.of(SemanticStoreProvider.Kind.POSTGRESQL);
        }
        return access.store().type() == StoreConfig.Type.REDIS ? Optional.of(SemanticStoreProvider.Kind.REDIS)
                : Optional.empty();
    }
}
