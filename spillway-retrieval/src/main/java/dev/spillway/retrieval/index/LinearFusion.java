package dev.spillway.retrieval.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;

/**
 * Fuses a BM25 and a kNN result list by score: each list's scores are min-max normalised to 0-1
 * over its own candidates, a document missing from a list gets 0 there, and the fused score is
 * {@code w * text + (1 - w) * vector}. Ties keep the lower doc id first. Stateless.
 */
final class LinearFusion {
    private LinearFusion() {
    }

    static TopDocs fuse(TopDocs text, TopDocs vector, double textWeight, int topN) {
        Map<Integer, Double> scores = new HashMap<>();
        add(scores, text.scoreDocs, textWeight);
        add(scores, vector.scoreDocs, 1 - textWeight);
        List<ScoreDoc> fused = new ArrayList<>(scores.size());
        scores.forEach((doc, score) -> fused.add(new ScoreDoc(doc, score.floatValue())));
        fused.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
        ScoreDoc[] top = fused.subList(0, Math.min(topN, fused.size())).toArray(ScoreDoc[]::new);
        return new TopDocs(new TotalHits(fused.size(), TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO), top);
    }

    private static void add(Map<Integer, Double> scores, ScoreDoc[] docs, double weight) {
        if (docs.length == 0) return;
        double max = docs[0].score, min = docs[docs.length - 1].score;
        for (ScoreDoc d : docs) {
            double normalised = max == min ? 1 : (d.score - min) / (max - min);
            scores.merge(d.doc, weight * normalised, Double::sum);
        }
    }
}
