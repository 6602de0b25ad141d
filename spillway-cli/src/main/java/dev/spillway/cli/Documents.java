package dev.spillway.cli;

import dev.spillway.chat.DocumentPages;
import dev.spillway.chat.IndexingStatus;
import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.Retriever;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.embed.Embedders;
import dev.spillway.retrieval.index.LuceneRetriever;
import dev.spillway.retrieval.ingest.IngestSummary;
import dev.spillway.retrieval.ingest.Ingestor;
import dev.spillway.retrieval.ingest.ProgressListener;
import dev.spillway.retrieval.index.DocumentView;
import dev.spillway.retrieval.index.PdfPageImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.time.Clock;
import java.util.List;

/**
 * The chat app's documents: one embedder shared by ingestion and search, the Lucene index, and the
 * page view behind citations. Opened once per process; thread-safe; close it to release the index.
 */
final class Documents implements AutoCloseable {
    private final RetrievalConfig config;
    private final Embedder embedder;
    private final LuceneRetriever retriever;

    Documents(RetrievalConfig config) {
        this.config = config;
        OnnxNatives.useFolder(config.modelCacheDir().resolve("onnxruntime"));
        this.embedder = Embedders.create(config);
        this.retriever = LuceneRetriever.open(config.indexDir(), embedder, config.search(), Clock.systemUTC());
    }

    /** Makes the index mirror {@code roots}, then shows the result to searches at once. */
    IngestSummary ingest(List<Path> roots, ProgressListener progress) {
        IngestSummary summary = new Ingestor(config, embedder).ingest(roots, progress);
        retriever.refresh();
        return summary;
    }

    Retriever retriever() {
        return retriever;
    }

    DocumentPages pages() {
        return pages(() -> IndexingStatus.READY);
    }

    /** The page view, telling the UI how far indexing has got through {@code indexing}. */
    DocumentPages pages(Supplier<IndexingStatus> indexing) {
        return new DocumentPages() {
            @Override
            public IndexingStatus indexing() {
                return indexing.get();
            }

            @Override
            public List<Hit> topics(int n, Set<String> groups) {
                return retriever.topics(n, groups);
            }

            @Override
            public Optional<DocumentPage> open(String citation, Set<String> groups) {
                return retriever.openCitation(citation, groups).map(v -> new DocumentPage(v.citation(),
                        title(v.source(), v.page()), v.text(), pdfFile(v).isPresent()));
            }

            @Override
            public Optional<byte[]> pageImage(String citation, Set<String> groups, List<String> passages) {
                return retriever.openCitation(citation, groups).flatMap(v -> pdfFile(v).map(file -> {
                    try {
                        return PdfPageImage.render(file, v.page(), passages);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot render " + v.citation(), e);
                    }
                }));
            }
        };
    }

    /** The PDF a paged citation came from, if it is still there to render. */
    private static Optional<Path> pdfFile(DocumentView v) {
        return v.origin().filter(p -> v.page() > 0 && p.toString().toLowerCase(Locale.ROOT).endsWith(".pdf")
                && Files.isRegularFile(p));
    }

    private static String title(String source, int page) {
        return page > 0 ? source + ", page " + page : source;
    }

    @Override
    public void close() {
        retriever.close();
    }
}
