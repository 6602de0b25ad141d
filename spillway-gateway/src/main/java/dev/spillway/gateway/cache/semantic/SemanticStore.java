package dev.spillway.gateway.cache.semantic;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where the semantic entries live for every replica: each replica {@link #follow follows} the
 * store into its own {@link VectorIndex}, which it searches locally. One in-memory adapter
 * ({@link MemorySemanticStore}, one process) and one shared by replicas (Redis, in {@code
 * spillway-store-redis}); {@code SemanticStoreContract} runs against both. Thread-safe; calls
 * never block the caller's thread.
 */
public interface SemanticStore extends AutoCloseable {
    /** What a follower is told, on the store's own thread, in the order the changes happened. */
    interface Listener {
        /** The store's whole content: drop every entry not in {@code entries}. */
        void reset(java.util.List<SemanticEntry> entries);

        void added(SemanticEntry entry);

        void removed(String id);

        void purged(String app, Optional<String> partition);
    }

    /**
     * Tells {@code listener} every live entry, then every change made through any replica, until
     * the store is closed. One listener per store.
     */
    void follow(Listener listener);

    /** Keeps the entry for every replica (replacing one with the same id) until it expires. */
    CompletionStage<Void> add(SemanticEntry entry);

    /** Removes every entry of {@code app}, or of one of its partitions, on every replica. */
    CompletionStage<Void> purge(String app, Optional<String> partition);

    @Override
    void close();
}
