package dev.spillway.retrieval.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.retrieval.testing.SharedModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalEmbedderTest {
    final LocalEmbedder model = SharedModel.miniLm();

    @Test
    void vectorsAreUnitLength384AndParaphrasesAreCloserThanUnrelatedText() {
        List<float[]> v = model.embedPassages(List.of("The cat sat on the mat.", "A cat was sitting on a rug.",
                "Quarterly revenue grew by four percent."));
        assertThat(v).allSatisfy(x -> {
            assertThat(x).hasSize(LocalModel.DIMENSIONS);
            assertThat(dot(x, x)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        });
        assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.3);
    }

    @Test
    void theModelSeesUpTo256TokensAndNoMore() {
        String filler = "the quick brown fox jumps over the lazy dog. "; // 10 word pieces
        String physics = "Quantum chromodynamics describes the strong interaction.";
        String fruit = "Bananas are rich in potassium.";
        // ending near token 180: beyond the jar's 128 but within 256, so it must change the vector
        List<float[]> within = model.embedPassages(List.of(filler.repeat(18) + physics, filler.repeat(18) + fruit));
        assertThat(dot(within.get(0), within.get(1))).isLessThan(0.999);
        // starting after token 300: cut off, so the vectors are the same
        List<float[]> beyond = model.embedPassages(List.of(filler.repeat(30) + physics, filler.repeat(30) + fruit));
        assertThat(dot(beyond.get(0), beyond.get(1))).isGreaterThan(0.99999);
        assertThat(model.modelId()).isEqualTo("all-minilm-l6-v2-q@256");
    }

    @Test
    void bgeQueriesCarryTheRetrievalInstructionAndFindTheirPassage() {
        LocalEmbedder bge = LocalEmbedder.load(LocalModel.BGE_SMALL_EN_V15_Q, Path.of("target/djl-cache"),
                Runnable::run, 256);
        String question = "How often must passwords be changed?";
        List<float[]> passages = bge.embedPassages(List.of(question, "Passwords rotate every 90 days.",
                "The cafeteria serves lunch from noon."));
        float[] query = bge.embedQuery(question);
        assertThat(dot(query, passages.get(0))).isLessThan(0.99); // the instruction changed the vector
        assertThat(dot(query, passages.get(1))).isGreaterThan(dot(query, passages.get(2)) + 0.1);
        assertThat(bge.modelId()).isEqualTo("bge-small-en-v1.5-q@256");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
