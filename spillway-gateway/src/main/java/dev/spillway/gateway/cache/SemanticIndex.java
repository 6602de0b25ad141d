package dev.spillway.gateway.cache;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The semantic cache's index: finds a cached entry whose question means the same as a new one.
 * It stores only questions and entry keys; the answers stay in the {@link ResponseCache}, so an
 * entry that expired or was purged there is a miss however close its question. The gateway calls
 * it on the event loop: implementations must not block it (do blocking work elsewhere and
 * complete the stage later) and must be thread-safe. docs/caching.md says what the gateway
 * expects of one.
 */
public interface SemanticIndex extends AutoCloseable {
    /** The index of a gateway without semantic caching: finds nothing, keeps nothing. */
    SemanticIndex DISABLED = new SemanticIndex() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public CompletionStage<Optional<SemanticMatch>> lookup(SemanticQuery query, double threshold) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletionStage<Void> add(SemanticQuery query, CacheKey entry) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> purge(CachePurge scope) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    };

    /** False only for {@link #DISABLED}: the gateway then skips building the query at all. */
    boolean enabled();

    /**
     * The closest entry with the same partition, deployment and context whose question's similarity
     * to {@code query.text()} is at least {@code threshold}; empty when there is none. A failure
     * (a store down, a timeout) completes exceptionally and the gateway treats it as a miss.
     */
    CompletionStage<Optional<SemanticMatch>> lookup(SemanticQuery query, double threshold);

    /** Remembers that the answer to {@code query} is cached under {@code entry}. */
    CompletionStage<Void> add(SemanticQuery query, CacheKey entry);

    /** Forgets every question of the app, or of one partition. */
    CompletionStage<Void> purge(CachePurge scope);

    @Override
    void close();
}
