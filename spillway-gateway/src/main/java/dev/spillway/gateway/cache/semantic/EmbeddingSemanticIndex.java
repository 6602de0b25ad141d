package dev.spillway.gateway.cache.semantic;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.CacheKey;
import dev.spillway.gateway.cache.CachePurge;
import dev.spillway.gateway.cache.SemanticIndex;
import dev.spillway.gateway.cache.SemanticMatch;
import dev.spillway.gateway.cache.SemanticQuery;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The semantic index the gateway uses: embeds the last user turn with a {@link TextEmbedder},
 * searches this replica's {@link VectorIndex} within the query's bucket, and keeps new questions
 * in a {@link SemanticStore} that every replica follows into its own index. Embedding and search
 * run on a small bounded pool (never on the event loop) and complete on the caller's Vert.x
 * context; a full queue fails the call, which the gateway counts as a miss. The vector of a looked-up text is kept a few minutes, so the {@code
 * add} after a miss does not embed it again. Thread-safe; one per gateway.
 */
public final class EmbeddingSemanticIndex implements SemanticIndex {
    /** Lookups waiting for an embedding thread beyond this many fail at once (a miss). */
    static final int QUEUE = 256;

    private final TextEmbedder embedder;
    private final SemanticStore store;
    private final VectorIndex index;
    private final CacheConfig config;
    private final Clock clock;
    private final ExecutorService work;
    private final Cache<String, float[]> recent = Caffeine.newBuilder()
            .maximumSize(4096).expireAfterWrite(Duration.ofMinutes(5)).executor(Runnable::run).build();

    public EmbeddingSemanticIndex(TextEmbedder embedder, SemanticStore store, VectorIndex index, CacheConfig config,
            Clock clock) {
        this.embedder = embedder;
        this.store = store;
        this.index = index;
        this.config = config;
        this.clock = clock;
        int threads = config.semantic().embedThreads();
        this.work = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "spillway-semantic");
                    t.setDaemon(true);
                    return t;
                });
        store.follow(new Follower(index));
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public CompletionStage<Optional<SemanticMatch>> lookup(SemanticQuery query, double threshold) {
        return offload(() -> index.nearest(bucket(query), vector(query.text()), threshold)
                .map(hit -> new SemanticMatch(new CacheKey(query.partition(), hit.request()),
                        Math.max(0, hit.similarity()))));
    }

    @Override
    public CompletionStage<Void> add(SemanticQuery query, CacheKey entry) {
        Duration ttl = config.forApp(query.partition().app()).ttl();
        // The store call runs on the pool too: the in-memory store updates this replica's index
        // (a Lucene write and refresh) before it returns, which must not happen on an event loop.
        return offload(() -> store.add(new SemanticEntry(query.partition().app(), query.partition().id(),
                entry.request(), query.deployment(), query.context(), embedder.modelId(), vector(query.text()),
                clock.millis() + ttl.toMillis())))
                .thenCompose(stored -> stored);
    }

    @Override
    public CompletionStage<Void> purge(CachePurge scope) {
        // Applied here at once as well, so this replica stops matching before the purge returns;
        // the store's echo of it is a no-op. A rare admin call: it may hold a pool thread.
        return offload(() -> {
            store.purge(scope.app(), scope.partition()).toCompletableFuture().join();
            index.purge(scope.app(), scope.partition());
            return null;
        });
    }

    @Override
    public void close() {
        work.shutdownNow();
        store.close();
        index.close();
        embedder.close();
    }

    private String bucket(SemanticQuery q) {
        return SemanticEntry.bucket(q.partition().id(), q.deployment(), q.context(), embedder.modelId());
    }

    private float[] vector(String text) {
        return recent.get(text, embedder::embed);
    }

    /**
     * Runs {@code task} on the pool; the stage completes back on the caller's Vert.x context when
     * there is one, since what the gateway chains on it touches its one-thread request state.
     */
    private <T> CompletableFuture<T> offload(Supplier<T> task) {
        Context caller = Vertx.currentContext();
        CompletableFuture<T> done;
        try {
            done = CompletableFuture.supplyAsync(task, work);
        } catch (RuntimeException rejected) {
            done = CompletableFuture.failedFuture(rejected);
        }
        if (caller == null) return done;
        CompletableFuture<T> onCaller = new CompletableFuture<>();
        done.whenComplete((value, failure) -> caller.runOnContext(v -> {
            if (failure != null) onCaller.completeExceptionally(failure);
            else onCaller.complete(value);
        }));
        return onCaller;
    }

    /** Applies the store's changes to this replica's index. */
    private record Follower(VectorIndex index) implements SemanticStore.Listener {
        @Override
        public void reset(java.util.List<SemanticEntry> entries) {
            index.clear();
            index.putAll(entries);
        }

        @Override
        public void added(SemanticEntry entry) {
            index.put(entry);
        }

        @Override
        public void removed(String id) {
            index.remove(id);
        }

        @Override
        public void purged(String app, Optional<String> partition) {
            index.purge(app, partition);
        }
    }
}
