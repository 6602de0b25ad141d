package dev.spillway.gateway.cache.semantic;

import java.time.Clock;

class MemorySemanticStoreTest extends SemanticStoreContract {
    private MemorySemanticStore shared;

    /** One process: both replicas follow the same store. */
    @Override
    protected SemanticStore openStore(Clock clock, int maxEntries) {
        if (shared == null) shared = new MemorySemanticStore(maxEntries, clock);
        return shared;
    }
}
