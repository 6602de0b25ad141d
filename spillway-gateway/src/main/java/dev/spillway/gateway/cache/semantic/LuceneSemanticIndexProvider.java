package dev.spillway.gateway.cache.semantic;

import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.SemanticIndex;
import dev.spillway.gateway.cache.SemanticIndexProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ServiceLoader;

/**
 * Opens the {@link EmbeddingSemanticIndex}: the embedding model {@code cache.semantic.model}
 * names (a {@link TextEmbedderProvider} on the class path), the entries in memory or, with
 * {@code gateway.store.type: redis}, in Redis (a {@link SemanticStoreProvider}), and this
 * replica's {@link VectorIndex}. Stateless.
 */
public final class LuceneSemanticIndexProvider implements SemanticIndexProvider {
    @Override
    public SemanticIndex open(CacheConfig config, StoreConfig store, Path dataDir, Clock clock) {
        CacheConfig.Semantic semantic = config.semantic();
        TextEmbedder embedder = ServiceLoader.load(TextEmbedderProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.provides(semantic.model())).findFirst()
                .orElseThrow(() -> new IllegalStateException("cache.semantic.model: no embedding model '"
                        + semantic.model() + "' on the class path (the spillway command provides the models of"
                        + " spillway-retrieval)"))
                .open(semantic.model(), dataDir);
        SemanticStore entries = store.type() == StoreConfig.Type.MEMORY
                ? new MemorySemanticStore(semantic.maxEntries(), clock)
                : ServiceLoader.load(SemanticStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                        .filter(p -> p.type() == store.type()).findFirst()
                        .orElseThrow(() -> new IllegalStateException("gateway.store.type: no semantic store for "
                                + store.type() + " on the class path"))
                        .open(store, semantic, clock);
        VectorIndex index = new VectorIndex(semantic.maxEntries(), semantic.maxSize().bytes(), clock);
        return new EmbeddingSemanticIndex(embedder, entries, index, config, clock);
    }
}
