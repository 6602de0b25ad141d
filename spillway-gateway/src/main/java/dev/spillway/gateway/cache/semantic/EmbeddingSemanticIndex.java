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
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The semantic index the gateway uses: embeds the last user turn, searches this replica's {@link
 * VectorIndex} within the query's bucket, and keeps new questions in a {@link SemanticStore} that
 * every replica follows into its own index. The question is embedded by an in-process {@link
 * TextEmbedder} on a small bounded pool, or by the gateway's own embeddings deployment ({@link
 * DeploymentEmbedder}, a call that does not block); the search always runs on the pool, never on
 * the event loop, and the stage completes on the caller's Vert.x context. A full queue or a failed
 * embedding fails the call, which the gateway counts as a miss. The vector of a looked-up text is
 * kept a few minutes, so the {@code add} after a miss does not embed it again. Thread-safe; one
 * per gateway.
 */
public final class EmbeddingSemanticIndex implements SemanticIndex {
    /** Lookups waiting for an embedding thread beyond this many fail at once (a miss). */
    static final int QUEUE = 256;

    /** Where vectors come from: an in-process model, or the gateway's embeddings deployment. */
    private sealed interface Model {
        record Local(TextEmbedder embedder) implements Model {
        }

        record Deployment(DeploymentEmbedder embedder) implements Model {
        }
    }

    private final Model model;
    private final String modelId;
    private final SemanticStore store;
    private final VectorIndex index;
    private final CacheConfig config;
    private final Clock clock;
    private final ExecutorService work;
    private final Cache<String, float[]> recent = Caffeine.newBuilder()
            .maximumSize(4096).expireAfterWrite(Duration.ofMinutes(5)).executor(Runnable::run).build();

    /** Embeds with an in-process model, on the pool. */
    public EmbeddingSemanticIndex(TextEmbedder embedder, SemanticStore store, VectorIndex index, CacheConfig config,
            Clock clock) {
        this(new Model.Local(embedder), embedder.modelId(), store, index, config, clock);
    }

    /** Embeds with the gateway's own embeddings deployment. */
    public EmbeddingSemanticIndex(DeploymentEmbedder embedder, SemanticStore store, VectorIndex index,
            CacheConfig config, Clock clock) {
        this(new Model.Deployment(embedder), embedder.modelId(), store, index, config, clock);
    }

    private EmbeddingSemanticIndex(Model model, String modelId, SemanticStore store, VectorIndex index,
            CacheConfig config, Clock clock) {
        this.model = model;
        this.modelId = modelId;
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
        return onCaller(Vertx.currentContext(), withVector(query.text(), v -> index.nearest(bucket(query), v, threshold)
                .map(hit -> new SemanticMatch(new CacheKey(query.partition(), hit.request()),
                        Math.max(0, hit.similarity())))));
    }

    @Override
    public CompletionStage<Void> add(SemanticQuery query, CacheKey entry) {
        Duration ttl = config.forApp(query.partition().app()).ttl();
        // The store call runs on the pool too: the in-memory store updates this replica's index
        // (a Lucene write and refresh) before it returns, which must not happen on an event loop.
        return onCaller(Vertx.currentContext(), withVector(query.text(), v -> store.add(new SemanticEntry(
                query.partition().app(), query.partition().id(), entry.request(), query.deployment(), query.context(),
                modelId, v, clock.millis() + ttl.toMillis()))).thenCompose(stored -> stored));
    }

    @Override
    public CompletionStage<Void> purge(CachePurge scope) {
        // Applied here at once as well, so this replica stops matching before the purge returns;
        // the store's echo of it is a no-op. A rare admin call: it may hold a pool thread.
        return onCaller(Vertx.currentContext(), submit(work, () -> {
            store.purge(scope.app(), scope.partition()).toCompletableFuture().join();
            index.purge(scope.app(), scope.partition());
            return null;
        }));
    }

    @Override
    public void close() {
        work.shutdownNow();
        store.close();
        index.close();
        if (model instanceof Model.Local local) local.embedder().close();
    }

    private String bucket(SemanticQuery q) {
        return SemanticEntry.bucket(q.partition().id(), q.deployment(), q.context(), modelId);
    }

    /**
     * Runs {@code then} on the pool with the vector of {@code text}: one pool task for an
     * in-process model (embedding, then {@code then}), a call and then a pool task for a deployment.
     */
    private <T> CompletableFuture<T> withVector(String text, Function<float[], T> then) {
        return switch (model) {
            case Model.Local local -> submit(work, () -> then.apply(recent.get(text, local.embedder()::embed)));
            case Model.Deployment deployment -> {
                float[] known = recent.getIfPresent(text);
                CompletionStage<float[]> vector = known != null ? CompletableFuture.completedFuture(known)
                        : deployment.embedder().embed(text).toCompletionStage().thenApply(v -> {
                            recent.put(text, v);
                            return v;
                        });
                yield vector.thenApplyAsync(then, work).toCompletableFuture();
            }
        };
    }

    /** Runs {@code task} on {@code pool}; a full queue fails the stage at once. */
    private static <T> CompletableFuture<T> submit(ExecutorService pool, Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, pool);
        } catch (RuntimeException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
    }

    /**
     * The stage, completing back on the caller's Vert.x context when there is one, since what the
     * gateway chains on it touches its one-thread request state.
     */
    private static <T> CompletableFuture<T> onCaller(Context caller, CompletableFuture<T> done) {
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
