package dev.spillway.retrieval.eval;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.index.ChunkIndexWriter;
import dev.spillway.retrieval.index.IndexedDocument;
import dev.spillway.retrieval.index.LuceneRetriever;
import dev.spillway.retrieval.index.SearchTuning;
import dev.spillway.retrieval.ingest.ProgressListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Measures search quality on a BEIR collection: indexes the corpus (one document = one chunk,
 * title as its section) into {@code indexDir}, runs every judged query in each mode and averages
 * nDCG@10, Recall@100 and MRR@10. One per run; not thread-safe.
 */
public final class RetrievalEvaluation {
    private static final int BATCH = 32;

    /** Averages over {@code queries} queries for one mode; {@code msPerQuery} includes embedding. */
    public record ModeResult(SearchMode mode, double ndcg10, double recall100, double mrr10, int queries, double msPerQuery) {
    }

    private final BeirDataset data;
    private final Embedder embedder;
    private final ProgressListener progress;

    public RetrievalEvaluation(BeirDataset data, Embedder embedder, ProgressListener progress) {
        this.data = data;
        this.embedder = embedder;
        this.progress = progress;
    }

    /** Indexes the corpus into {@code indexDir} (which must be empty or absent). */
    public void index(Path indexDir) {
        try (ChunkIndexWriter writer = ChunkIndexWriter.open(indexDir, embedder.modelId())) {
            List<BeirDataset.Doc> docs = data.corpus();
            for (int from = 0; from < docs.size(); from += BATCH) {
                List<BeirDataset.Doc> batch = docs.subList(from, Math.min(docs.size(), from + BATCH));
                List<float[]> vectors = embedder.embedPassages(batch.stream()
                        .map(d -> IndexedDocument.Chunk.searchableText(d.title(), d.text())).toList());
                for (int i = 0; i < batch.size(); i++) {
                    BeirDataset.Doc d = batch.get(i);
                    writer.replace(new IndexedDocument(d.id(), "", Set.of(), List.of(),
                            List.of(new IndexedDocument.Chunk(0, d.title(), d.text(), vectors.get(i)))));
                }
                progress.progress("embedding corpus", from + batch.size(), docs.size(), batch.getLast().id());
            }
            writer.commit();
        }
        progress.finished();
    }

    /** Runs every query in each of {@code modes} against the index built by {@link #index}. */
    public List<ModeResult> evaluate(Path indexDir, SearchTuning tuning, List<SearchMode> modes) {
        List<ModeResult> results = new ArrayList<>();
        try (LuceneRetriever retriever = LuceneRetriever.open(indexDir, embedder, tuning, Clock.systemUTC())) {
            for (SearchMode mode : modes) results.add(evaluate(retriever, mode));
        }
        return results;
    }

    private ModeResult evaluate(LuceneRetriever retriever, SearchMode mode) {
        double ndcg = 0, recall = 0, mrr = 0;
        long started = System.nanoTime();
        int n = 0;
        for (BeirDataset.Query q : data.queries()) {
            List<String> ranked = retriever.search(new SearchRequest(q.text(), mode, 100, Set.of()))
                    .stream().map(Hit::source).toList();
            var judged = data.qrels().get(q.id());
            ndcg += RetrievalMetrics.ndcg(ranked, judged, 10);
            recall += RetrievalMetrics.recall(ranked, judged, 100);
            mrr += RetrievalMetrics.reciprocalRank(ranked, judged, 10);
            progress.progress("searching " + mode.name().toLowerCase(), ++n, data.queries().size(), q.id());
        }
        progress.finished();
        double ms = (System.nanoTime() - started) / 1e6 / n;
        return new ModeResult(mode, ndcg / n, recall / n, mrr / n, n, ms);
    }
}
