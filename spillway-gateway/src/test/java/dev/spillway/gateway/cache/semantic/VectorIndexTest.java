package dev.spillway.gateway.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VectorIndexTest {
    private final FakeClock clock = new FakeClock();
    private final WordEmbedder words = new WordEmbedder();
    private VectorIndex index = new VectorIndex(1000, 64L << 20, clock);

    @AfterEach
    void close() {
        index.close();
    }

    private SemanticEntry entry(String app, String partition, String request, String text) {
        return new SemanticEntry(app, partition, request, "gpt-4o", "ctx", words.modelId(), words.embed(text),
                clock.millis() + Duration.ofMinutes(10).toMillis());
    }

    private Optional<VectorIndex.Hit> nearest(String partition, String text, double threshold) {
        return index.nearest(SemanticEntry.bucket(partition, "gpt-4o", "ctx", words.modelId()), words.embed(text),
                threshold);
    }

    @Test
    void findsTheClosestEntryAtOrAboveTheThreshold() {
        index.put(entry("a", "p1", "r1", "how do I reset my password"));
        index.put(entry("a", "p1", "r2", "what is the refund policy"));

        assertThat(nearest("p1", "reset my password how do I", 0.99)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r1"))
                .satisfies(hit -> assertThat(hit.similarity()).isGreaterThan(0.999));
        assertThat(nearest("p1", "how do I reset my email", 0.99)).isEmpty();
        assertThat(nearest("p1", "how do I reset my email", 0.5)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r1"));
    }

    @Test
    void neverMatchesAcrossBuckets() {
        index.put(entry("a", "p1", "r1", "how do I reset my password"));

        assertThat(nearest("p2", "how do I reset my password", 0.1)).isEmpty();
        String otherContext = SemanticEntry.bucket("p1", "gpt-4o", "other", words.modelId());
        assertThat(index.nearest(otherContext, words.embed("how do I reset my password"), 0.1)).isEmpty();
        String otherDeployment = SemanticEntry.bucket("p1", "gpt-4o-mini", "ctx", words.modelId());
        assertThat(index.nearest(otherDeployment, words.embed("how do I reset my password"), 0.1)).isEmpty();
    }

    @Test
    void anExpiredEntryDoesNotMatchAndALiveOneBehindItDoes() {
        index.put(new SemanticEntry("a", "p1", "old", "gpt-4o", "ctx", words.modelId(), words.embed("reset password"),
                clock.millis() + 1000));
        index.put(entry("a", "p1", "new", "reset password now"));
        clock.advance(Duration.ofSeconds(2));

        assertThat(nearest("p1", "reset password", 0.5)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("new"));
    }

    @Test
    void evictsTheOldestEntriesOverTheEntryBound() {
        index.close();
        index = new VectorIndex(2, 64L << 20, clock);
        index.put(entry("a", "p1", "r1", "alpha question"));
        index.put(entry("a", "p1", "r2", "beta question"));
        index.put(entry("a", "p1", "r3", "gamma question"));

        assertThat(index.size()).isEqualTo(2);
        assertThat(nearest("p1", "alpha question", 0.99)).isEmpty();
        assertThat(nearest("p1", "gamma question", 0.99)).isPresent();
    }

    @Test
    void evictsOverTheByteBoundAndCountsWhatItHolds() {
        SemanticEntry one = entry("a", "p1", "r1", "alpha question");
        index.close();
        index = new VectorIndex(1000, 3 * one.weight(), clock);
        List<SemanticEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) entries.add(entry("a", "p1", "r" + i, "question number " + i));
        index.putAll(entries);

        assertThat(index.size()).isEqualTo(3);
        assertThat(index.bytes()).isLessThanOrEqualTo(3 * one.weight());
    }

    @Test
    void anEntryPutAgainReplacesTheOldOne() {
        index.put(entry("a", "p1", "r1", "alpha question"));
        index.put(entry("a", "p1", "r1", "beta question"));

        assertThat(index.size()).isEqualTo(1);
        assertThat(nearest("p1", "alpha question", 0.99)).isEmpty();
        assertThat(nearest("p1", "beta question", 0.99)).isPresent();
    }

    @Test
    void purgesAnAppOrOnePartition() {
        index.put(entry("a", "p1", "r1", "alpha question"));
        index.put(entry("a", "p2", "r2", "alpha question"));
        index.put(entry("b", "p3", "r3", "alpha question"));

        assertThat(index.purge("a", Optional.of("p1"))).isEqualTo(1);
        assertThat(nearest("p1", "alpha question", 0.9)).isEmpty();
        assertThat(nearest("p2", "alpha question", 0.9)).isPresent();
        assertThat(index.purge("a", Optional.empty())).isEqualTo(1);
        assertThat(nearest("p2", "alpha question", 0.9)).isEmpty();
        assertThat(nearest("p3", "alpha question", 0.9)).isPresent();
    }

    @Test
    void searchesAManyThousandEntryBucketAmongOthers() {
        List<SemanticEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            entries.add(new SemanticEntry("a", i % 3 == 0 ? "small" : "big", "r" + i, "gpt-4o", "ctx", "random",
                    random(i), clock.millis() + 60_000));
        }
        index.close();
        index = new VectorIndex(10_000, 256L << 20, clock);
        index.putAll(entries);

        assertThat(index.nearest(SemanticEntry.bucket("big", "gpt-4o", "ctx", "random"), random(1000), 0.99)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r1000"));
        assertThat(index.nearest(SemanticEntry.bucket("small", "gpt-4o", "ctx", "random"), random(999), 0.99)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r999"));
        assertThat(index.nearest(SemanticEntry.bucket("small", "gpt-4o", "ctx", "random"), random(1000), 0.99))
                .isEmpty();
    }

    @Test
    void aSmallBucketIsScannedAcrossSegmentsWithoutItsRemovedEntries() {
        List<SemanticEntry> first = new ArrayList<>();
        for (int i = 0; i < 100; i++) first.add(randomEntry("p1", i));
        index.putAll(first);
        index.put(randomEntry("p1", 100));
        index.remove(first.get(7).id());
        index.purge("a", Optional.of("p2"));

        assertThat(index.nearest(bucket("p1"), random(7), 0.99)).isEmpty();
        assertThat(index.nearest(bucket("p1"), random(8), 0.99)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r8"));
        assertThat(index.nearest(bucket("p1"), random(100), 0.99)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r100"));
    }

    @Test
    void aBucketLargerThanTheScanIsSearchedThroughTheGraphAloneOrAmongOthers() {
        int large = VectorIndex.SCAN_AT_MOST + 500;
        List<SemanticEntry> entries = new ArrayList<>();
        for (int i = 0; i < large; i++) entries.add(randomEntry("big", i));
        index.close();
        index = new VectorIndex(10_000, 256L << 20, clock);
        index.putAll(entries);

        assertThat(index.nearest(bucket("big"), random(4321), 0.99)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r4321"));
        index.put(randomEntry("small", large));
        assertThat(index.nearest(bucket("big"), random(1234), 0.99)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r1234"));
        assertThat(index.nearest(bucket("big"), random(large), 0.99)).isEmpty();
        assertThat(index.nearest(bucket("small"), random(large), 0.99)).isPresent();
    }

    @Test
    void holdsTheVectorsOfAnEmbeddingsDeploymentWiderThanLucenesDefaultBound() {
        int dims = 1536;
        for (int i = 0; i < 3; i++) {
            index.put(new SemanticEntry("a", "p", "r" + i, "gpt-4o", "ctx", "wide", random(i, dims),
                    clock.millis() + 60_000));
        }

        assertThat(index.nearest(SemanticEntry.bucket("p", "gpt-4o", "ctx", "wide"), random(1, dims), 0.99)).get()
                .satisfies(hit -> assertThat(hit.request()).isEqualTo("r1"));
        assertThat(index.size()).isEqualTo(3);
    }

    private SemanticEntry randomEntry(String partition, int seed) {
        return new SemanticEntry("a", partition, "r" + seed, "gpt-4o", "ctx", "random", random(seed),
                clock.millis() + 60_000);
    }

    private static String bucket(String partition) {
        return SemanticEntry.bucket(partition, "gpt-4o", "ctx", "random");
    }

    /** A unit vector drawn from a seed: 3,000 of them are nearly orthogonal to each other. */
    private static float[] random(int seed) {
        return random(seed, 64);
    }

    private static float[] random(int seed, int dims) {
        var rnd = new java.util.Random(seed);
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) v[i] /= (float) Math.sqrt(norm);
        return v;
    }
}
