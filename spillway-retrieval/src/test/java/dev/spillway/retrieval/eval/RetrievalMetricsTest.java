package dev.spillway.retrieval.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
    static final Map<String, Integer> TWO_RELEVANT = Map.of("a", 1, "b", 1, "x", 0);

    @Test
    void ndcgOfAPerfectRankingIsOne() {
        assertThat(RetrievalMetrics.ndcg(List.of("a", "b", "c"), TWO_RELEVANT, 10)).isEqualTo(1.0);
    }

    @Test
    void ndcgDiscountsRelevantDocumentsFoundLate() {
        // relevant at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3)
        double dcg = 1 / log2(3) + 1 / log2(5);
        double ideal = 1 + 1 / log2(3);
        assertThat(RetrievalMetrics.ndcg(List.of("c", "a", "x", "b"), TWO_RELEVANT, 10)).isCloseTo(dcg / ideal, within(1e-12));
        assertThat(RetrievalMetrics.ndcg(List.of("c", "a", "x", "b"), TWO_RELEVANT, 10)).isCloseTo(0.6509209298, within(1e-9));
    }

    @Test
    void ndcgUsesGradedGainsAndCutsAtK() {
        Map<String, Integer> graded = Map.of("a", 2, "b", 1);
        // ranking b, a: DCG = 1 + 2/log2(3); ideal a, b: 2 + 1/log2(3)
        assertThat(RetrievalMetrics.ndcg(List.of("b", "a"), graded, 10))
                .isCloseTo((1 + 2 / log2(3)) / (2 + 1 / log2(3)), within(1e-12));
        // at k=1 only b counts: 1 / 2
        assertThat(RetrievalMetrics.ndcg(List.of("b", "a"), graded, 1)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void recallCountsRelevantFoundWithinK() {
        assertThat(RetrievalMetrics.recall(List.of("a", "c", "d"), TWO_RELEVANT, 100)).isEqualTo(0.5);
        assertThat(RetrievalMetrics.recall(List.of("c", "b", "a"), TWO_RELEVANT, 2)).isEqualTo(0.5);
        assertThat(RetrievalMetrics.recall(List.of(), TWO_RELEVANT, 100)).isZero();
    }

    @Test
    void reciprocalRankIsOneOverTheFirstRelevantRank() {
        assertThat(RetrievalMetrics.reciprocalRank(List.of("x", "c", "b", "a"), TWO_RELEVANT, 10)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(RetrievalMetrics.reciprocalRank(List.of("x", "c", "b"), TWO_RELEVANT, 2)).isZero();
    }

    @Test
    void aDuplicatedResultCountsOnlyOnce() {
        assertThat(RetrievalMetrics.recall(List.of("a", "a"), TWO_RELEVANT, 10)).isEqualTo(0.5);
        assertThat(RetrievalMetrics.ndcg(List.of("a", "a", "b"), TWO_RELEVANT, 10)).isEqualTo(1.0);
    }

    @Test
    void aQueryWithoutRelevantDocumentsScoresZero() {
        assertThat(RetrievalMetrics.ndcg(List.of("x"), Map.of("x", 0), 10)).isZero();
        assertThat(RetrievalMetrics.recall(List.of("x"), Map.of("x", 0), 10)).isZero();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
