package dev.spillway.cli;

import dev.spillway.chat.DocumentPages;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.Retriever;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.embed.Embedders;
import dev.spillway.retrieval.index.LuceneRetriever;
import dev.spillway.retrieval.ingest.IngestSummary;
import dev.spillway.retrieval.ingest.Ingestor;
import dev.spillway.retrieval.ingest.ProgressListener;
import java.nio.file.Path;
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
        return (citation, groups) -> retriever.openCitation(citation, groups)
                .map(v -> new DocumentPages.DocumentPage(v.citation(), title(v.source(), v.page()), v.text()));
    }

    private static String title(String source, int page) {
        return page > 0 ? source + ", page " + page : source;
    }

    @Override
    public void close() {
        retriever.close();
    }
}
