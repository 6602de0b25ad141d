package dev.spillway.cli;

import dev.spillway.chat.DocumentPages;
import dev.spillway.chat.IndexingStatus;
import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.Retriever;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.embed.Embedders;
import dev.spillway.retrieval.index.ChunkIndexWriter;
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

    private final Optional<String> replacedModel;

    /** Opens the index of {@code config}; one built with another embedding model is refused. */
    Documents(RetrievalConfig config) {
        this(config, false);
    }

    /**
     * With {@code replaceOtherModel}, an index built with another embedding model (the default
     * changed, or the config did) is deleted first, for the next {@link #ingest} to rebuild: only
     * for an index that just mirrors the roots it is given, such as {@code up}'s.
     */
    Documents(RetrievalConfig config, boolean replaceOtherModel) {
        this.config = config;
        OnnxNatives.useFolder(config.modelCacheDir().resolve("onnxruntime"));
        this.embedder = Embedders.create(config);
        Optional<String> recorded = ChunkIndexWriter.recordedModel(config.indexDir());
        if (replaceOtherModel && recorded.isPresent() && !recorded.get().equals(embedder.modelId())) {
            deleteRecursively(config.indexDir());
            this.replacedModel = recorded;
        } else {
            this.replacedModel = Optional.empty();
        }
        this.retriever = LuceneRetriever.open(config.indexDir(), embedder, config.search(), Clock.systemUTC());
    }

    /** The model of the index this replaced (see {@link #Documents(RetrievalConfig, boolean)}), if it did. */
    Optional<String> replacedModel() {
        return replacedModel;
    }

    /** The embedder's model id, as the index records it. */
    String modelId() {
        return embedder.modelId();
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the old index " + dir, e);
        }
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
