package dev.spillway.gateway.cache.semantic;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The semantic entries of one process: a map bounded by {@code maxEntries} (oldest out first)
 * whose changes reach every follower at once, on the caller's thread. Several followers stand for
 * replicas in tests. Thread-safe (one lock); every call completes at once.
 */
public final class MemorySemanticStore implements SemanticStore {
    private final Map<String, SemanticEntry> entries = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final int maxEntries;
    private final Clock clock;

    public MemorySemanticStore(int maxEntries, Clock clock) {
        if (maxEntries < 1) throw new IllegalArgumentException("max-entries: must be >= 1, was " + maxEntries);
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public synchronized void follow(Listener listener) {
        long now = clock.millis();
        entries.values().removeIf(e -> e.expiresAt() <= now);
        listener.reset(List.copyOf(entries.values()));
        listeners.add(listener);
    }

    @Override
    public synchronized CompletionStage<Void> add(SemanticEntry entry) {
        entries.remove(entry.id());
        entries.put(entry.id(), entry);
        listeners.forEach(l -> l.added(entry));
        List<String> evicted = new ArrayList<>();
        var oldest = entries.keySet().iterator();
        while (entries.size() - evicted.size() > maxEntries) evicted.add(oldest.next());
        evicted.forEach(id -> {
            entries.remove(id);
            listeners.forEach(l -> l.removed(id));
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> purge(String app, Optional<String> partition) {
        entries.values().removeIf(e -> e.app().equals(app) && partition.map(e.partition()::equals).orElse(true));
        listeners.forEach(l -> l.purged(app, partition));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
