package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.cache.semantic.TextEmbedder;
import dev.spillway.gateway.cache.semantic.TextEmbedderProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTextEmbedderProviderTest {
    @TempDir
    Path data;

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void theGatewayFindsTheLocalModelAndParaphrasesScoreAboveUnrelatedQuestions() {
        TextEmbedderProvider provider = ServiceLoader.load(TextEmbedderProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.provides("all-minilm-l6-v2-q")).findFirst().orElseThrow();
        assertThat(provider.provides("no-such-model")).isFalse();
        TextEmbedder model = provider.open("all-minilm-l6-v2-q", data);

        float[] question = model.embed("What is the copay for Northwind Health Plus?");
        float[] paraphrase = model.embed("How much is the copayment under Northwind Health Plus?");
        float[] unrelated = model.embed("Which vaccines reduce the risk of shingles?");

        assertThat(model.modelId()).isEqualTo("all-minilm-l6-v2-q@256");
        assertThat(dot(question, question)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(dot(question, paraphrase)).isGreaterThan(dot(question, unrelated) + 0.3);
    }
}
