package dev.spillway.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.testing.SharedModel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real model, tiny corpus: each leg finds what it is good at, and fusion keeps both. */
class HybridSearchTest {
    static final Map<String, String> CORPUS = Map.of(
            "dental.txt", "The plan pays for two dental cleanings per year and half of the cost of fillings.",
            "eyes.txt", "Spectacles and contact lenses are reimbursed once every twenty-four months.",
            "gym.txt", "PerksPlus refunds up to 1000 dollars a year for fitness classes and gym memberships.",
            "leave.txt", "Employees accrue vacation days monthly and may carry five days into the next year.",
            "code.txt", "Error code XJ-4410 means the badge reader lost its network connection.");

    @TempDir
    static Path dir;
    static LuceneRetriever retriever;
    static LuceneRetriever rrf;

    @BeforeAll
    static void index() {
        Embedder model = SharedModel.miniLm();
        try (ChunkIndexWriter w = ChunkIndexWriter.open(dir, model.modelId())) {
            CORPUS.forEach((source, text) -> w.replace(new IndexedDocument(source, "h", Set.of(), List.of(),
                    List.of(new IndexedDocument.Chunk(0, "", text, model.embedPassages(List.of(text)).getFirst())))));
            w.commit();
        }
        retriever = LuceneRetriever.open(dir, model, SearchTuning.linear(10, 0.6, Duration.ZERO), Clock.systemUTC());
        rrf = LuceneRetriever.open(dir, model, SearchTuning.rrf(10, 60, Duration.ZERO), Clock.systemUTC());
    }

    @org.junit.jupiter.api.AfterAll
    static void close() {
        retriever.close();
        rrf.close();
    }

    private static String top(String query, SearchMode mode) {
        List<Hit> hits = retriever.search(new SearchRequest(query, mode, 3, Set.of()));
        return hits.isEmpty() ? "(none)" : hits.getFirst().source();
    }

    @Test
    void vectorSearchFindsParaphrasesThatShareNoWords() {
        assertThat(top("glasses for my eyesight", SearchMode.VECTOR)).isEqualTo("eyes.txt");
        assertThat(top("glasses for my eyesight", SearchMode.TEXT)).isEqualTo("(none)");
    }

    @Test
    void textSearchFindsExactCodes() {
        assertThat(top("XJ-4410", SearchMode.TEXT)).isEqualTo("code.txt");
    }

    @Test
    void textSearchFindsMisspeltWordsByTheIndexSpelling() {
        assertThat(top("dentl cleanngs", SearchMode.TEXT)).isEqualTo("dental.txt");
        assertThat(top("spectakles", SearchMode.TEXT)).isEqualTo("eyes.txt");
        // short unknown terms stay exact: one edit would make too many words of them
        assertThat(top("gim", SearchMode.TEXT)).isEqualTo("(none)");
    }

    @Test
    void hybridSearchFindsBoth() {
        assertThat(top("glasses for my eyesight", SearchMode.HYBRID)).isEqualTo("eyes.txt");
        assertThat(top("XJ-4410", SearchMode.HYBRID)).isEqualTo("code.txt");
        assertThat(top("how often are teeth cleanings paid", SearchMode.HYBRID)).isEqualTo("dental.txt");
    }

    @Test
    void rrfFusionFindsBothToo() {
        assertThat(rrf.search(new SearchRequest("glasses for my eyesight", SearchMode.HYBRID, 3, Set.of())).getFirst().source())
                .isEqualTo("eyes.txt");
        assertThat(rrf.search(new SearchRequest("XJ-4410", SearchMode.HYBRID, 3, Set.of())).getFirst().source())
                .isEqualTo("code.txt");
    }

    @Test
    void linearScoresAreWeightedNormalisedScores() {
        List<Hit> hits = retriever.search(new SearchRequest("gym membership refund", SearchMode.HYBRID, 5, Set.of()));
        assertThat(hits.getFirst().source()).isEqualTo("gym.txt");
        // best in both legs: 0.6 * 1 + 0.4 * 1
        assertThat(hits.getFirst().score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    }

    @Test
    void hybridScoresAreReciprocalRankSums() {
        List<Hit> hits = rrf.search(new SearchRequest("gym membership refund", SearchMode.HYBRID, 5, Set.of()));
        assertThat(hits.getFirst().source()).isEqualTo("gym.txt");
        // first in both legs: 1/(60+1) twice
        assertThat(hits.getFirst().score()).isCloseTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-6));
    }
}
