package dev.spillway.gateway.cache;

import dev.spillway.gateway.access.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A semantic index found on the class path ({@link java.util.ServiceLoader}), used when
 * {@code cache.semantic.enabled} is true; without one the gateway refuses to start with semantic
 * caching on. Implementations are stateless factories.
 */
public interface SemanticIndexProvider {
    /**
     * Opens the index: {@code store} says where shared state lives (memory: this process only;
     * redis: shared by every replica), {@code dataDir} is where a local index may keep files.
     */
    SemanticIndex open(CacheConfig config, StoreConfig store, Path dataDir, Clock clock);
}
