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
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** A page whose chunks all match takes one place in the results, in every mode. */
class OnePerCitationTest {
    @TempDir
    static Path dir;
    static LuceneRetriever retriever;

    @BeforeAll
    static void index() {
        Embedder model = SharedModel.miniLm();
        List<IndexedDocument.Chunk> chunks = List.of(
                chunk(model, 3, "Dental cleanings are covered twice a year."),
                chunk(model, 3, "Dental fillings are covered at half of their cost."),
                chunk(model, 3, "Dental x-rays are covered once a year."),
                chunk(model, 4, "Dental crowns need prior authorization."),
                chunk(model, 5, "Orthodontics for children is covered up to 1500 dollars."));
        try (ChunkIndexWriter w = ChunkIndexWriter.open(dir, model.modelId())) {
            w.replace(new IndexedDocument("plan.pdf", "h", Set.of(), List.of(), chunks));
            w.commit();
        }
        retriever = LuceneRetriever.open(dir, model, SearchTuning.linear(10, 0.6, Duration.ZERO), Clock.systemUTC());
    }

    private static IndexedDocument.Chunk chunk(Embedder model, int page, String text) {
        return new IndexedDocument.Chunk(page, "", text, model.embedPassages(List.of(text)).getFirst());
    }

    @AfterAll
    static void close() {
        retriever.close();
    }

    @ParameterizedTest
    @EnumSource(SearchMode.class)
    void eachCitationAppearsOnceAndTopKIsFilledWithOtherPages(SearchMode mode) {
        List<Hit> hits = retriever.search(new SearchRequest("dental covered", mode, 3, Set.of()));
        assertThat(hits).extracting(Hit::citation).doesNotHaveDuplicates().hasSize(3)
                .contains("plan.pdf#page=3", "plan.pdf#page=4");
        assertThat(hits.getFirst().citation()).isEqualTo("plan.pdf#page=3");
    }
}
