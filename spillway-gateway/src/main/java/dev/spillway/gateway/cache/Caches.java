package dev.spillway.gateway.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.spillway.gateway.access.AccessConfig;
import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.pipeline.InternalCalls;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The response cache's store and semantic index, as the config names them: the store in memory
 * (Caffeine) or shared (the {@code gateway.store.type} provider, Redis), the index disabled or the
 * {@link SemanticIndexProvider} on the class path. Opened once at startup, closed with the server.
 */
public record Caches(ResponseCache store, SemanticIndex index) implements AutoCloseable {
    /** A gateway whose config turns the cache on for no app: nothing opened, nothing kept. */
    public static final Caches NONE = new Caches(new CaffeineResponseCache(dev.spillway.core.config.DataSize.ofMebibytes(1),
            Ticker.systemTicker()), SemanticIndex.DISABLED);

    /** {@code gateway} serves the embedding calls of a {@code semantic.model: deployment:NAME}. */
    public static Caches open(CacheConfig config, AccessConfig access, Path dataDir, Clock clock,
            InternalCalls gateway) {
        if (!config.anyEnabled()) return NONE;
        StoreConfig store = access.store();
        ResponseCache answers = store.type() == StoreConfig.Type.MEMORY
                ? new CaffeineResponseCache(config.maxSize(), Ticker.systemTicker())
                : ServiceLoader.load(ResponseCacheProvider.class).stream().map(ServiceLoader.Provider::get)
                        .filter(p -> p.type() == store.type()).findFirst()
                        .orElseThrow(() -> new IllegalStateException("gateway.cache with gateway.store.type: "
                                + store.type().name().toLowerCase(java.util.Locale.ROOT)
                                + " needs spillway-store-redis on the class path"))
                        .open(store, config);
        if (!config.semantic().enabled()) return new Caches(answers, SemanticIndex.DISABLED);
        SemanticIndex index = ServiceLoader.load(SemanticIndexProvider.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("gateway.cache.semantic.enabled needs a semantic index"
                        + " (a SemanticIndexProvider) on the class path; there is none"))
                .open(config, access, dataDir, clock, gateway);
        return new Caches(answers, index);
    }

    /** Removes the app's (or one partition's) answers from the store and its questions from the index. */
    public CompletionStage<Long> purge(CachePurge scope) {
        CompletableFuture<Long> removed = store.purge(scope).toCompletableFuture();
        return index.purge(scope).thenCombine(removed, (v, n) -> n);
    }

    @Override
    public void close() {
        index.close();
        store.close();
    }
}
