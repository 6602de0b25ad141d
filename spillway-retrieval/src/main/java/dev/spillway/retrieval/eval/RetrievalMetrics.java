package dev.spillway.retrieval.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-query ranking metrics with trec_eval conventions: judged relevance is an integer grade
 * (&gt; 0 means relevant), gain is the grade itself (trec_eval's {@code ndcg_cut}; for binary qrels
 * the same as 2^grade - 1), discount is log2(rank + 1), and the ideal ranking comes from the qrels.
 * Duplicated ids in a ranking count once, at their first rank. Stateless.
 */
public final class RetrievalMetrics {
    private RetrievalMetrics() {
    }

    /** Normalised discounted cumulative gain of the first {@code k} results. */
    public static double ndcg(List<String> ranked, Map<String, Integer> judged, int k) {
        double dcg = 0;
        List<String> top = distinct(ranked, k);
        for (int i = 0; i < top.size(); i++) {
            int grade = judged.getOrDefault(top.get(i), 0);
            if (grade > 0) dcg += grade / log2(i + 2);
        }
        List<Integer> ideal = judged.values().stream().filter(g -> g > 0)
                .sorted((a, b) -> Integer.compare(b, a)).limit(k).toList();
        double idcg = 0;
        for (int i = 0; i < ideal.size(); i++) idcg += ideal.get(i) / log2(i + 2);
        return idcg == 0 ? 0 : dcg / idcg;
    }

    /** Share of the relevant documents found in the first {@code k} results. */
    public static double recall(List<String> ranked, Map<String, Integer> judged, int k) {
        long relevant = judged.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) return 0;
        long found = distinct(ranked, k).stream().filter(id -> judged.getOrDefault(id, 0) > 0).count();
        return (double) found / relevant;
    }

    /** Reciprocal rank of the first relevant result within the first {@code k}, or 0. */
    public static double reciprocalRank(List<String> ranked, Map<String, Integer> judged, int k) {
        List<String> top = distinct(ranked, k);
        for (int i = 0; i < top.size(); i++) {
            if (judged.getOrDefault(top.get(i), 0) > 0) return 1.0 / (i + 1);
        }
        return 0;
    }

    private static List<String> distinct(List<String> ranked, int k) {
        Set<String> seen = new HashSet<>();
        return ranked.stream().filter(seen::add).limit(k).toList();
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }
}
