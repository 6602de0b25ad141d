package dev.spillway.gateway.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The response cache's store: answers by {@link CacheKey}, each kept for its TTL. One in-memory
 * implementation ({@link CaffeineResponseCache}) and one shared by every replica (Redis, in
 * {@code spillway-store-redis}); {@code ResponseCacheContract} runs against both. Called on the
 * event loop: implementations never block it, and are thread-safe. A store that fails completes
 * the stage exceptionally; the gateway then treats a read as a miss and drops a write.
 */
public interface ResponseCache extends AutoCloseable {
    CompletionStage<Optional<CachedAnswer>> get(CacheKey key);

    CompletionStage<Void> put(CacheKey key, CachedAnswer answer, Duration ttl);

    /** Removes every entry of the app, or of one of its partitions; completes with how many. */
    CompletionStage<Long> purge(CachePurge scope);

    @Override
    void close();
}
