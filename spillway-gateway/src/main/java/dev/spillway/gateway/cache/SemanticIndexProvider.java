package dev.spillway.gateway.cache;

import dev.spillway.gateway.access.AccessConfig;
import dev.spillway.gateway.pipeline.InternalCalls;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A semantic index found on the class path ({@link java.util.ServiceLoader}), used when
 * {@code cache.semantic.enabled} is true; without one the gateway refuses to start with semantic
 * caching on. Implementations are stateless factories.
 */
public interface SemanticIndexProvider {
    /**
     * Opens the index: {@code access} says where shared state may live ({@code gateway.store}:
     * this process only, or Redis; {@code gateway.database}), {@code dataDir} is where a local
     * index may keep files, {@code gateway} runs the calls of a {@code deployment:} model.
     */
    SemanticIndex open(CacheConfig config, AccessConfig access, Path dataDir, Clock clock, InternalCalls gateway);
}
