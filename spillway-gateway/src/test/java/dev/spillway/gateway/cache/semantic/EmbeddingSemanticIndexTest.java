package dev.spillway.gateway.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.CacheKey;
import dev.spillway.gateway.cache.Partition;
import dev.spillway.gateway.cache.SemanticMatch;
import dev.spillway.gateway.cache.SemanticQuery;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddingSemanticIndexTest {
    private final FakeClock clock = new FakeClock();
    private final Partition partition = new Partition("app", "p1");
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) c.close();
    }

    private EmbeddingSemanticIndex index(TextEmbedder embedder) {
        var index = new EmbeddingSemanticIndex(embedder, new MemorySemanticStore(100, clock),
                new VectorIndex(100, 1L << 20, clock), CacheConfig.DEFAULT, clock);
        opened.add(index);
        return index;
    }

    private SemanticQuery query(String context, String text) {
        return new SemanticQuery(partition, "gpt-4o", context, text);
    }

    @Test
    void aLookupMadeOnAnEventLoopCompletesOnThatEventLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        opened.add(() -> vertx.close().await());
        EmbeddingSemanticIndex index = index(new WordEmbedder());
        index.add(query("ctx", "reset my password"), new CacheKey(partition, "r1")).toCompletableFuture().join();
        Context loop = vertx.getOrCreateContext();
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        CompletableFuture<Optional<SemanticMatch>> found = new CompletableFuture<>();

        loop.runOnContext(v -> index.lookup(query("ctx", "my password reset"), 0.95).whenComplete((m, e) -> {
            onLoop.complete(Vertx.currentContext() == loop && Context.isOnEventLoopThread());
            found.complete(m);
        }));

        assertThat(onLoop.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(found.get(10, TimeUnit.SECONDS)).get().isEqualTo(new SemanticMatch(new CacheKey(partition, "r1"), 1.0));
    }

    @Test
    void anAddMadeOnAnEventLoopWritesTheIndexOffIt() throws Exception {
        Vertx vertx = Vertx.vertx();
        opened.add(() -> vertx.close().await());
        MemorySemanticStore memory = new MemorySemanticStore(100, clock);
        CompletableFuture<Boolean> storedOnLoop = new CompletableFuture<>();
        SemanticStore recording = new SemanticStore() {
            @Override
            public void follow(Listener listener) {
                memory.follow(listener);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> add(SemanticEntry entry) {
                storedOnLoop.complete(Context.isOnEventLoopThread());
                return memory.add(entry);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> purge(String app, Optional<String> partition) {
                return memory.purge(app, partition);
            }

            @Override
            public void close() {
                memory.close();
            }
        };
        var index = new EmbeddingSemanticIndex(new WordEmbedder(), recording, new VectorIndex(100, 1L << 20, clock),
                CacheConfig.DEFAULT, clock);
        opened.add(index);

        vertx.getOrCreateContext().runOnContext(v -> index.add(query("ctx", "reset my password"),
                new CacheKey(partition, "r1")));

        assertThat(storedOnLoop.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void anotherContextNeverMatchesAndTheVectorOfALookupIsReusedByTheAdd() {
        AtomicInteger embedded = new AtomicInteger();
        WordEmbedder words = new WordEmbedder();
        EmbeddingSemanticIndex index = index(new TextEmbedder() {
            @Override
            public String modelId() {
                return words.modelId();
            }

            @Override
            public float[] embed(String text) {
                embedded.incrementAndGet();
                return words.embed(text);
            }
        });

        assertThat(index.lookup(query("ctx", "reset my password"), 0.5).toCompletableFuture().join()).isEmpty();
        index.add(query("ctx", "reset my password"), new CacheKey(partition, "r1")).toCompletableFuture().join();

        assertThat(embedded).hasValue(1);
        assertThat(index.lookup(query("other-system-prompt", "reset my password"), 0.1).toCompletableFuture().join())
                .isEmpty();
    }

    @Test
    void lookupsBeyondTheQueueFailAtOnceInsteadOfWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WordEmbedder words = new WordEmbedder();
        EmbeddingSemanticIndex index = index(new TextEmbedder() {
            @Override
            public String modelId() {
                return words.modelId();
            }

            @Override
            public float[] embed(String text) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return words.embed(text);
            }
        });
        List<CompletableFuture<Optional<SemanticMatch>>> waiting = new ArrayList<>();
        for (int i = 0; i <= EmbeddingSemanticIndex.QUEUE; i++) {
            waiting.add(index.lookup(query("ctx", "question " + i), 0.9).toCompletableFuture());
        }

        CompletableFuture<Optional<SemanticMatch>> overflow = index.lookup(query("ctx", "one too many"), 0.9)
                .toCompletableFuture();

        assertThat(overflow).isCompletedExceptionally();
        assertThat(overflow.handle((m, e) -> e instanceof CompletionException ? e.getCause() : e).join())
                .isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        assertThat(waiting.getLast().get(10, TimeUnit.SECONDS)).isEmpty();
    }
}
