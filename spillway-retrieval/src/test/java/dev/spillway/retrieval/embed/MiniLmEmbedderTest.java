package dev.spillway.retrieval.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.retrieval.testing.SharedModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {
    final MiniLmEmbedder model = SharedModel.miniLm();

    @Test
    void vectorsAreUnitLength384AndParaphrasesAreCloserThanUnrelatedText() {
        List<float[]> v = model.embedPassages(List.of("The cat sat on the mat.", "A cat was sitting on a rug.",
                "Quarterly revenue grew by four percent."));
        assertThat(v).allSatisfy(x -> {
            assertThat(x).hasSize(MiniLmEmbedder.DIMENSIONS);
            assertThat(dot(x, x)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        });
        assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.3);
    }

    @Test
    void longTextsAreCutAt256TokensAndShortOnesAreKept() {
        String shortText = "Dental cleanings are covered twice a year.";
        assertThat(model.cut(shortText)).isEqualTo(shortText);
        String longText = "word ".repeat(400).strip();
        String cut = model.cut(longText);
        assertThat(cut).startsWith("word word").endsWith("word");
        assertThat(cut.split(" ")).hasSize(254);
        assertThat(model.modelId()).isEqualTo("all-minilm-l6-v2-q@256");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
