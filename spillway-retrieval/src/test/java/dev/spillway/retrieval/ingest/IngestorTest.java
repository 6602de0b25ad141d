package dev.spillway.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.index.DocumentView;
import dev.spillway.retrieval.index.LuceneRetriever;
import dev.spillway.retrieval.index.SearchTuning;
import dev.spillway.retrieval.testing.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {
    @TempDir
    Path tmp;
    final HashingEmbedder embedder = new HashingEmbedder();

    private RetrievalConfig config(List<AccessRule> rules) {
        RetrievalConfig d = RetrievalConfig.DEFAULTS;
        return new RetrievalConfig(tmp.resolve("index"), tmp.resolve("models"), d.embedder(), d.localModel(), Optional.empty(), 1,
                256, 1000, 100, d.search(), rules, Set.of());
    }

    private IngestSummary ingest(Path docs) {
        return new Ingestor(config(List.of()), embedder).ingest(List.of(docs), ProgressListener.NONE);
    }

    private LuceneRetriever retriever() {
        return LuceneRetriever.open(tmp.resolve("index"), embedder, SearchTuning.linear(50, 0.6, Duration.ZERO), Clock.systemUTC());
    }

    private Path docs() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.write(docs.resolve("guide.md"), ParsersTest.fixture("guide.md"));
        Files.write(docs.resolve("page.html"), ParsersTest.fixture("page.html"));
        Files.createDirectories(docs.resolve("benefits"));
        Files.write(docs.resolve("benefits/plan.pdf"), ParsersTest.pdf("Dental care is covered.", "Vision care is extra."));
        Files.writeString(docs.resolve("slides.pptx"), "not a supported format");
        Files.writeString(docs.resolve(".hidden.txt"), "hidden files are skipped");
        return docs;
    }

    @Test
    void firstRunAddsEveryFileAndSecondRunSkipsThemAll() throws IOException {
        Path docs = docs();
        IngestSummary first = ingest(docs);
        assertThat(first.filesAdded()).isEqualTo(3);
        assertThat(first.chunksAdded()).isEqualTo(3 + 3 + 2);
        assertThat(first.failures()).isEmpty();
        int embeddedAfterFirst = embedder.embedded.get();

        IngestSummary second = ingest(docs);
        assertThat(second).isEqualTo(new IngestSummary(0, 0, 3, 0, 0, 0, List.of()));
        assertThat(embedder.embedded.get()).isEqualTo(embeddedAfterFirst);
    }

    @Test
    void theFileNameTitleIsSearchedWithEveryChunk() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.write(docs.resolve("Northwind_Standard_Plan.pdf"), ParsersTest.pdf("Dental care is covered."));
        Files.write(docs.resolve("Perks.pdf"), ParsersTest.pdf("Dental care is covered."));
        ingest(docs);
        try (LuceneRetriever r = retriever()) {
            List<Hit> hits = r.search(new SearchRequest("northwind plan", SearchMode.TEXT, 2, Set.of()));
            assertThat(hits).extracting(Hit::citation).containsExactly("Northwind_Standard_Plan.pdf#page=1");
            assertThat(hits.getFirst().text()).isEqualTo("Dental care is covered.");
        }
        assertThat(Ingestor.title("benefits/Northwind_Standard-Plan.v2.pdf")).isEqualTo("Northwind Standard Plan.v2");
    }

    @Test
    void changedFileReplacesItsChunksAndDeletedFileLosesThem() throws IOException {
        Path docs = docs();
        ingest(docs);
        Files.writeString(docs.resolve("guide.md"), "# Only heading\n\nThe guide was rewritten entirely.");
        Files.delete(docs.resolve("page.html"));

        IngestSummary summary = ingest(docs);
        assertThat(summary).isEqualTo(new IngestSummary(0, 1, 1, 1, 1, 3 + 3, List.of()));
        try (LuceneRetriever r = retriever()) {
            List<Hit> hits = r.search(new SearchRequest("guide rewritten port installing hotels", SearchMode.TEXT, 20, Set.of()));
            assertThat(hits).extracting(Hit::text).containsExactly("The guide was rewritten entirely.");
            assertThat(r.open("page.html", 0, Set.of())).isEmpty();
        }
    }

    @Test
    void changingASidecarsGroupsReindexesTheFile() throws IOException {
        Path docs = docs();
        ingest(docs);
        Files.writeString(docs.resolve("benefits/plan.pdf.groups"), "hr, managers # who may read plan.pdf\n");
        IngestSummary summary = ingest(docs);
        assertThat(summary.filesUpdated()).isEqualTo(1);
        try (LuceneRetriever r = retriever()) {
            assertThat(r.search(new SearchRequest("dental", SearchMode.TEXT, 5, Set.of()))).isEmpty();
            assertThat(r.search(new SearchRequest("dental", SearchMode.TEXT, 5, Set.of("managers"))))
                    .extracting(Hit::citation).containsExactly("benefits/plan.pdf#page=1");
        }
    }

    @Test
    void hitsCarryPagesSectionsAndCitations() throws IOException {
        ingest(docs());
        try (LuceneRetriever r = retriever()) {
            Hit vision = r.search(new SearchRequest("vision extra", SearchMode.TEXT, 1, Set.of())).getFirst();
            assertThat(vision.source()).isEqualTo("benefits/plan.pdf");
            assertThat(vision.page()).isEqualTo(2);
            assertThat(vision.citation()).isEqualTo("benefits/plan.pdf#page=2");
            Hit port = r.search(new SearchRequest("default port", SearchMode.TEXT, 1, Set.of())).getFirst();
            assertThat(port.section()).isEqualTo("Configuring the gateway");
            assertThat(port.citation()).isEqualTo("guide.md#configuring-the-gateway");
            assertThat(port.chunkId()).startsWith("guide.md#");
        }
    }

    @Test
    void openReturnsTheWholePageOfACitation() throws IOException {
        ingest(docs());
        try (LuceneRetriever r = retriever()) {
            DocumentView plan = r.open("benefits/plan.pdf", 2, Set.of()).orElseThrow();
            assertThat(new DocumentView(plan.source(), plan.page(), plan.pageCount(), plan.text(), plan.citation())).isEqualTo(
                    new DocumentView("benefits/plan.pdf", 2, 2, "Vision care is extra.", "benefits/plan.pdf#page=2"));
            assertThat(plan.origin()).map(p -> p.getFileName().toString()).contains("plan.pdf");
            DocumentView guide = r.open("guide.md", 0, Set.of()).orElseThrow();
            assertThat(guide.text()).startsWith("Installing\n\nDownload the archive.").contains("Troubleshooting");
            assertThat(r.open("benefits/plan.pdf", 3, Set.of())).isEmpty();
            assertThat(r.openCitation("benefits/plan.pdf#page=2", Set.of())).map(DocumentView::page).contains(2);
            assertThat(r.openCitation("guide.md#configuring-the-gateway", Set.of())).map(DocumentView::page).contains(0);
            assertThat(r.openCitation("page.html", Set.of())).map(DocumentView::source).contains("page.html");
        }
    }

    @Test
    void topicsGiveOnePassagePerDocumentPreferringOneUnderAHeading() throws IOException {
        ingest(docs());
        try (LuceneRetriever r = retriever()) {
            List<Hit> topics = r.topics(5, Set.of());
            assertThat(topics).extracting(Hit::source).containsExactly("benefits/plan.pdf", "guide.md", "page.html");
            assertThat(topics.get(1).section()).isNotBlank();
            assertThat(r.topics(1, Set.of())).hasSize(1);
        }
    }

    @Test
    void configRulesGiveGroupsByPathAndTheFirstMatchWins() throws IOException {
        Path docs = docs();
        List<AccessRule> rules = List.of(new AccessRule("benefits/**", Set.of("hr")), new AccessRule("**", Set.of("staff")));
        new Ingestor(config(rules), embedder).ingest(List.of(docs), ProgressListener.NONE);
        try (LuceneRetriever r = retriever()) {
            assertThat(r.search(new SearchRequest("dental", SearchMode.TEXT, 5, Set.of("staff")))).isEmpty();
            assertThat(r.search(new SearchRequest("dental", SearchMode.TEXT, 5, Set.of("hr")))).hasSize(1);
            assertThat(r.search(new SearchRequest("port", SearchMode.TEXT, 5, Set.of("hr")))).isEmpty();
            assertThat(r.open("benefits/plan.pdf", 1, Set.of("staff"))).isEmpty();
        }
    }

    @Test
    void aBrokenFileIsReportedAndTheRestIsIngested() throws IOException {
        Path docs = docs();
        Files.writeString(docs.resolve("broken.pdf"), "this is not a pdf");
        IngestSummary summary = ingest(docs);
        assertThat(summary.filesAdded()).isEqualTo(3);
        assertThat(summary.failures()).singleElement().asString().startsWith("broken.pdf: ");
    }

    @Test
    void progressIsReportedInPagesAndUnchangedPagesAsSkipped() throws IOException {
        Path docs = docs();
        List<PageProgress> first = pagesSeen(docs);
        assertThat(first.getFirst()).isEqualTo(new PageProgress(0, 4, 0, ""));
        assertThat(first).contains(new PageProgress(2, 4, 0, "benefits/plan.pdf"));
        assertThat(first.getLast()).isEqualTo(new PageProgress(4, 4, 0, "page.html"));
        assertThat(first).extracting(PageProgress::done).isSorted();
        assertThat(pagesSeen(docs).getLast()).isEqualTo(new PageProgress(4, 4, 4, "page.html"));
    }

    private List<PageProgress> pagesSeen(Path docs) {
        List<PageProgress> seen = new ArrayList<>();
        new Ingestor(config(List.of()), embedder).ingest(List.of(docs), new ProgressListener() {
            @Override
            public void progress(String stage, int done, int total, String item) {
                throw new AssertionError("ingestion reports pages, not " + stage);
            }

            @Override
            public void pages(PageProgress p) {
                seen.add(p);
            }
        });
        return seen;
    }

    @Test
    void anIndexBuiltWithAnotherModelIsRefused() throws IOException {
        ingest(docs());
        assertThatThrownBy(() -> new Ingestor(config(List.of()), new HashingEmbedder("other-model"))
                .ingest(List.of(docs()), ProgressListener.NONE))
                .hasMessageContaining("holds vectors of model 'hashing-test', not 'other-model'");
    }
}
