package dev.spillway.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.testing.HashingEmbedder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessControlTest {
    // source -> groups; every document talks about salaries, so every one matches every query.
    static final Map<String, Set<String>> DOCS = Map.of(
            "public.txt", Set.of(),
            "hr.txt", Set.of("hr"),
            "board.txt", Set.of("board"),
            "hr-and-board.txt", Set.of("hr", "board"),
            "finance.txt", Set.of("finance"));

    static final int CHUNKS = 20;

    @TempDir
    Path dir;
    final HashingEmbedder embedder = new HashingEmbedder();

    @BeforeEach
    void index() {
        try (ChunkIndexWriter w = ChunkIndexWriter.open(dir, embedder.modelId())) {
            DOCS.forEach((source, groups) -> {
                List<IndexedDocument.Chunk> chunks = new ArrayList<>();
                for (int i = 0; i < CHUNKS; i++) {
                    String text = "Salaries and bonuses for " + source + " part " + i + ".";
                    // one page each: a search returns a citation once, and these tests count chunks
                    chunks.add(new IndexedDocument.Chunk(i + 1, "", text, embedder.embedPassages(List.of(text)).getFirst()));
                }
                w.replace(new IndexedDocument(source, "h", groups, List.of(new IndexedDocument.Page(1, "page of " + source)), chunks));
            });
            w.commit();
        }
    }

    private LuceneRetriever retriever() {
        return retriever(SearchTuning.linear(100, 0.6, Duration.ZERO));
    }

    private LuceneRetriever retriever(SearchTuning tuning) {
        return LuceneRetriever.open(dir, embedder, tuning, Clock.systemUTC());
    }

    static final List<SearchTuning> FUSIONS = List.of(SearchTuning.linear(100, 0.6, Duration.ZERO),
            SearchTuning.rrf(100, 60, Duration.ZERO));

    private static Set<String> visibleTo(Set<String> groups) {
        return DOCS.entrySet().stream()
                .filter(e -> e.getValue().isEmpty() || e.getValue().stream().anyMatch(groups::contains))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @EnumSource(SearchMode.class)
    void aUserNeverRetrievesAChunkTheirGroupsMayNotSee(SearchMode mode) {
        List<Set<String>> users = List.of(Set.of(), Set.of("hr"), Set.of("board"), Set.of("hr", "finance"), Set.of("nobody"));
        for (SearchTuning tuning : FUSIONS) try (LuceneRetriever r = retriever(tuning)) {
            for (Set<String> groups : users) {
                List<Hit> hits = r.search(new SearchRequest("salaries bonuses finance board hr", mode, 100, groups));
                Set<String> sources = hits.stream().map(Hit::source).collect(Collectors.toSet());
                assertThat(sources).as("mode %s, groups %s", mode, groups).isEqualTo(visibleTo(groups));
                assertThat(hits).hasSize(CHUNKS * visibleTo(groups).size());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SearchMode.class)
    void aFilteredSearchStillFillsTopKFromVisibleChunks(SearchMode mode) {
        // finance chunks mention finance most, so an after-the-fact filter would return fewer than 10.
        for (SearchTuning tuning : FUSIONS) try (LuceneRetriever r = retriever(tuning)) {
            List<Hit> hits = r.search(new SearchRequest("salaries finance finance finance", mode, 10, Set.of()));
            assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.source()).isEqualTo("public.txt"));
        }
    }

    @Test
    void openingACitationIsAccessControlledToo() {
        try (LuceneRetriever r = retriever()) {
            assertThat(r.open("hr.txt", 1, Set.of("board"))).isEmpty();
            assertThat(r.open("hr.txt", 1, Set.of("hr"))).map(DocumentView::text).contains("page of hr.txt");
            assertThat(r.open("public.txt", 1, Set.of())).isPresent();
        }
    }

    @Test
    void aNewCommitBecomesVisibleAfterRefresh() {
        try (LuceneRetriever r = retriever()) {
            try (ChunkIndexWriter w = ChunkIndexWriter.open(dir, embedder.modelId())) {
                w.remove("public.txt");
                w.commit();
            }
            r.refresh();
            assertThat(r.search(new SearchRequest("salaries", SearchMode.HYBRID, 100, Set.of()))).isEmpty();
        }
    }
}
