package dev.spillway.gateway.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.CacheKey;
import dev.spillway.gateway.cache.CachePurge;
import dev.spillway.gateway.cache.Partition;
import dev.spillway.gateway.cache.SemanticMatch;
import dev.spillway.gateway.cache.SemanticQuery;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SemanticStore} adapter must have, seen through two replicas: two
 * {@link EmbeddingSemanticIndex}es, each on its own store instance, as two gateways would be.
 * Each adapter's test says how to open a store ({@code MemorySemanticStoreTest}, {@code
 * RedisSemanticStoreTest}, {@code PostgresSemanticStoreTest}). Apps are unique per run. Changes reach the other replica asynchronously: assertions wait up to 10 s for them.
 */
public abstract class SemanticStoreContract {
    private static final CacheConfig CONFIG = CacheConfig.DEFAULT;
    protected final FakeClock clock = new FakeClock();
    private final String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<EmbeddingSemanticIndex> replicas = new ArrayList<>();

    /** A store instance as one replica opens it; every instance of a test shares the same state. */
    protected abstract SemanticStore openStore(Clock clock, int maxEntries);

    @AfterEach
    void closeReplicas() throws Exception {
        replicas.forEach(EmbeddingSemanticIndex::close);
        afterReplicasClosed();
    }

    /** Runs once the test's replicas are closed: an adapter's test removes what it made. */
    protected void afterReplicasClosed() throws Exception {
    }

    protected EmbeddingSemanticIndex replica() {
        return replica(1000);
    }

    private EmbeddingSemanticIndex replica(int maxEntries) {
        var index = new EmbeddingSemanticIndex(new WordEmbedder(), openStore(clock, maxEntries),
                new VectorIndex(maxEntries, 64L << 20, clock), CONFIG, clock);
        replicas.add(index);
        return index;
    }

    private SemanticQuery query(String partition, String text) {
        return new SemanticQuery(new Partition(app, partition), "gpt-4o", "ctx", text);
    }

    private void add(EmbeddingSemanticIndex on, String partition, String request, String text) {
        on.add(query(partition, text), new CacheKey(new Partition(app, partition), request)).toCompletableFuture().join();
    }

    private Optional<SemanticMatch> lookup(EmbeddingSemanticIndex on, String partition, String text) {
        return on.lookup(query(partition, text), 0.95).toCompletableFuture().join();
    }

    private static <T> T eventually(Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            value = probe.get();
        }
        return value;
    }

    @Test
    void anEntryAddedOnOneReplicaIsFoundOnTheOther() {
        EmbeddingSemanticIndex one = replica();
        EmbeddingSemanticIndex two = replica();

        add(one, "p1", "req-1", "how do I reset my password");

        Optional<SemanticMatch> found = eventually(() -> lookup(two, "p1", "reset my password, how do I"),
                Optional::isPresent);
        assertThat(found).get().satisfies(m -> {
            assertThat(m.entry()).isEqualTo(new CacheKey(new Partition(app, "p1"), "req-1"));
            assertThat(m.similarity()).isGreaterThan(0.99);
        });
        // The adding replica learns of its own add from the store too, as asynchronously.
        assertThat(eventually(() -> lookup(one, "p1", "how do I reset my password"), Optional::isPresent)).isPresent();
        assertThat(lookup(two, "p2", "how do I reset my password")).isEmpty();
    }

    @Test
    void aReplicaStartedLaterLoadsWhatTheOthersAdded() {
        EmbeddingSemanticIndex one = replica();
        add(one, "p1", "req-1", "what is the refund policy");
        eventually(() -> lookup(one, "p1", "what is the refund policy"), Optional::isPresent);

        EmbeddingSemanticIndex late = replica();

        assertThat(eventually(() -> lookup(late, "p1", "what is the refund policy"), Optional::isPresent)).isPresent();
    }

    @Test
    void aPurgeOfOnePartitionReachesEveryReplicaAndLeavesTheOthers() {
        EmbeddingSemanticIndex one = replica();
        EmbeddingSemanticIndex two = replica();
        add(one, "p1", "req-1", "how do I reset my password");
        add(one, "p2", "req-2", "how do I reset my password");
        eventually(() -> lookup(two, "p2", "how do I reset my password"), Optional::isPresent);

        one.purge(new CachePurge(app, Optional.of("p1"))).toCompletableFuture().join();

        assertThat(eventually(() -> lookup(two, "p1", "how do I reset my password"), Optional::isEmpty)).isEmpty();
        assertThat(lookup(one, "p1", "how do I reset my password")).isEmpty();
        assertThat(lookup(two, "p2", "how do I reset my password")).isPresent();
        assertThat(replica().lookup(query("p1", "how do I reset my password"), 0.95).toCompletableFuture().join())
                .isEmpty();
    }

    @Test
    void aPurgeOfTheAppReachesEveryReplicaAndReplicasStartedLater() {
        EmbeddingSemanticIndex one = replica();
        EmbeddingSemanticIndex two = replica();
        add(one, "p1", "req-1", "what is the refund policy");
        add(two, "p2", "req-2", "what is the refund policy");
        eventually(() -> lookup(one, "p2", "what is the refund policy"), Optional::isPresent);

        two.purge(new CachePurge(app, Optional.empty())).toCompletableFuture().join();

        assertThat(eventually(() -> lookup(one, "p2", "what is the refund policy"), Optional::isEmpty)).isEmpty();
        assertThat(eventually(() -> lookup(one, "p1", "what is the refund policy"), Optional::isEmpty)).isEmpty();
        EmbeddingSemanticIndex late = replica();
        assertThat(lookup(late, "p1", "what is the refund policy")).isEmpty();
    }

    @Test
    void anExpiredEntryIsNeitherFoundNorLoaded() {
        EmbeddingSemanticIndex one = replica();
        add(one, "p1", "req-1", "what is the refund policy");
        eventually(() -> lookup(one, "p1", "what is the refund policy"), Optional::isPresent);

        clock.advance(CONFIG.ttl().plusSeconds(1));

        assertThat(lookup(one, "p1", "what is the refund policy")).isEmpty();
        assertThat(lookup(replica(), "p1", "what is the refund policy")).isEmpty();
    }

    @Test
    void theStoreKeepsAtMostMaxEntriesOldestOutFirst() {
        EmbeddingSemanticIndex one = replica(2);
        add(one, "p1", "req-1", "alpha question");
        add(one, "p1", "req-2", "beta question");
        add(one, "p1", "req-3", "gamma question");
        eventually(() -> lookup(one, "p1", "gamma question"), Optional::isPresent);

        EmbeddingSemanticIndex late = replica(2);

        assertThat(eventually(() -> lookup(late, "p1", "gamma question"), Optional::isPresent)).isPresent();
        assertThat(lookup(late, "p1", "beta question")).isPresent();
        assertThat(lookup(late, "p1", "alpha question")).isEmpty();
    }
}
