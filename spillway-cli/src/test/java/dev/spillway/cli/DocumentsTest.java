package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.embed.LocalModel;
import dev.spillway.retrieval.ingest.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat app's documents when the embedding model changes under an existing index (real models). */
class DocumentsTest {
    @TempDir
    Path tmp;

    private RetrievalConfig config(LocalModel model) {
        RetrievalConfig d = RetrievalConfig.DEFAULTS;
        return new RetrievalConfig(tmp.resolve("index"), tmp.resolve("models"), d.embedder(), model, d.gateway(),
                1, d.embedMaxTokens(), d.chunkSize(), d.chunkOverlap(), d.search(), List.of(), Set.of());
    }

    @Test
    void anIndexOfAnotherModelIsRefusedUnlessItMayBeReplaced() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("gym.md"), "# Gym\n\nPerksPlus refunds gym memberships up to 1000 dollars a year.");
        try (Documents minilm = new Documents(config(LocalModel.ALL_MINILM_L6_V2_Q))) {
            minilm.ingest(List.of(docs), ProgressListener.NONE);
        }

        assertThatThrownBy(() -> new Documents(config(LocalModel.BGE_SMALL_EN_V15_Q)))
                .hasMessageContaining("all-minilm-l6-v2-q@256");

        try (Documents bge = new Documents(config(LocalModel.BGE_SMALL_EN_V15_Q), true)) {
            assertThat(bge.replacedModel()).contains("all-minilm-l6-v2-q@256");
            assertThat(bge.retriever().search(new SearchRequest("gym refund", SearchMode.HYBRID, 3, Set.of()))).isEmpty();
            assertThat(bge.ingest(List.of(docs), ProgressListener.NONE).toString()).contains("files: 1 added");
            assertThat(bge.retriever().search(new SearchRequest("gym refund", SearchMode.HYBRID, 3, Set.of())))
                    .extracting(h -> h.citation()).containsExactly("gym.md#gym");
        }
        try (Documents again = new Documents(config(LocalModel.BGE_SMALL_EN_V15_Q), true)) {
            assertThat(again.replacedModel()).isEmpty();
        }
    }
}
