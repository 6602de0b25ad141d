package dev.spillway.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.junit.jupiter.api.Test;

class LinearFusionTest {
    private static TopDocs docs(float... docAndScore) {
        ScoreDoc[] sd = new ScoreDoc[docAndScore.length / 2];
        for (int i = 0; i < sd.length; i++) sd[i] = new ScoreDoc((int) docAndScore[2 * i], docAndScore[2 * i + 1]);
        return new TopDocs(new TotalHits(sd.length, TotalHits.Relation.EQUAL_TO), sd);
    }

    @Test
    void scoresAreMinMaxNormalisedPerLegThenWeighted() {
        TopDocs text = docs(1, 12f, 2, 8f, 3, 4f);      // normalised: 1, 0.5, 0
        TopDocs vector = docs(3, 0.9f, 4, 0.7f, 1, 0.5f); // normalised: 1, 0.5, 0
        ScoreDoc[] fused = LinearFusion.fuse(text, vector, 0.6, 10).scoreDocs;
        assertThat(fused).extracting(d -> d.doc).containsExactly(1, 3, 2, 4);
        assertThat(fused[0].score).isCloseTo(0.6f, within(1e-6f)); // 0.6*1 + 0.4*0
        assertThat(fused[1].score).isCloseTo(0.4f, within(1e-6f)); // 0.6*0 + 0.4*1
        assertThat(fused[2].score).isCloseTo(0.3f, within(1e-6f)); // 0.6*0.5
        assertThat(fused[3].score).isCloseTo(0.2f, within(1e-6f)); // 0.4*0.5
    }

    @Test
    void anEmptyLegLeavesTheOtherInOrderAndTopNCuts() {
        ScoreDoc[] fused = LinearFusion.fuse(docs(), docs(7, 0.8f, 5, 0.6f, 9, 0.2f), 0.6, 2).scoreDocs;
        assertThat(fused).extracting(d -> d.doc).containsExactly(7, 5);
    }
}
