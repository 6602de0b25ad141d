package dev.spillway.retrieval.index;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.Retriever;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.embed.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Searches the on-disk index: BM25 over the English-analyzed text, HNSW over the chunk vectors,
 * or both, fused by normalised score ({@link LinearFusion}) or by reciprocal rank
 * ({@link TopDocs#rrf}) as {@link SearchTuning} says. The caller's access filter runs inside
 * both legs. Picks up new commits (from an ingestion run in this or another process) at most once
 * per {@link SearchTuning#refreshInterval()}, or at once via {@link #refresh()}.
 * Thread-safe; open one per index and close it on shutdown.
 */
public final class LuceneRetriever implements Retriever, AutoCloseable {
    private final Directory directory;
    private final SearcherManager searchers;
    private final Embedder embedder;
    private final SearchTuning tuning;
    private final Clock clock;
    private volatile Instant lastRefresh;

    private LuceneRetriever(Directory directory, Embedder embedder, SearchTuning tuning, Clock clock) throws IOException {
        this.directory = directory;
        this.searchers = new SearcherManager(directory, null);
        this.embedder = embedder;
        this.tuning = tuning;
        this.clock = clock;
        this.lastRefresh = clock.instant();
    }

    /** Opens the index at {@code dir}, creating an empty one if there is none yet. */
    public static LuceneRetriever open(Path dir, Embedder embedder, SearchTuning tuning, Clock clock) {
        try {
            Directory directory = FSDirectory.open(dir);
            if (!DirectoryReader.indexExists(directory)) createEmpty(directory);
            Optional<String> model = ChunkIndexWriter.recordedModel(directory);
            if (model.isPresent() && !model.get().equals(embedder.modelId())) {
                directory.close();
                throw new IllegalStateException("index " + dir + " was built with embedding model '" + model.get()
                        + "' but the configured embedder is '" + embedder.modelId() + "'; re-ingest or change the embedder");
            }
            return new LuceneRetriever(directory, embedder, tuning, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open index " + dir, e);
        }
    }

    private static void createEmpty(Directory directory) throws IOException {
        try (IndexWriter w = new IndexWriter(directory, new IndexWriterConfig(IndexFields.analyzer()))) {
            w.commit();
        }
    }

    @Override
    public List<Hit> search(SearchRequest request) {
        maybeRefresh();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                Query filter = AccessFilter.of("chunk", request.groups());
                int depth = Math.max(tuning.candidates(), request.topK());
                TopDocs ranked = switch (request.mode()) {
                    case TEXT -> text(searcher, request.query(), filter, depth);
                    case VECTOR -> vector(searcher, request.query(), filter, depth);
                    case HYBRID -> hybrid(searcher, request.query(), filter, depth);
                };
                return onePerCitation(searcher, ranked, request.topK());
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("search failed", e);
        }
    }

    private TopDocs hybrid(IndexSearcher searcher, String query, Query filter, int depth) throws IOException {
        TopDocs text = text(searcher, query, filter, depth);
        TopDocs vector = vector(searcher, query, filter, depth);
        return switch (tuning.fusion()) {
            case RRF -> TopDocs.rrf(depth, tuning.rrfK(), new TopDocs[] {text, vector});
            case LINEAR -> LinearFusion.fuse(text, vector, tuning.textWeight(), depth);
        };
    }

    /**
     * The first {@code topK} hits with distinct citations: a page (or section) is one source to
     * the reader and to a model, so its second-best chunk would take the place of another page.
     */
    private static List<Hit> onePerCitation(IndexSearcher searcher, TopDocs ranked, int topK) throws IOException {
        StoredFields stored = searcher.storedFields();
        Set<String> seen = new HashSet<>();
        List<Hit> out = new ArrayList<>(topK);
        for (ScoreDoc sd : ranked.scoreDocs) {
            if (out.size() == topK) break;
            Hit h = hit(stored, sd);
            if (seen.add(h.citation())) out.add(h);
        }
        return out;
    }

    private TopDocs text(IndexSearcher searcher, String query, Query filter, int n) throws IOException {
        Query terms = new TypoTolerantQueryBuilder(searcher.getIndexReader()).createBooleanQuery(IndexFields.TEXT, query);
        if (terms == null) return new TopDocs(new org.apache.lucene.search.TotalHits(0,
                org.apache.lucene.search.TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
        Query q = new BooleanQuery.Builder().add(terms, Occur.MUST).add(filter, Occur.FILTER).build();
        return searcher.search(q, n);
    }

    private TopDocs vector(IndexSearcher searcher, String query, Query filter, int n) throws IOException {
        float[] v = embedder.embedQuery(query);
        return searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, v, n, filter), n);
    }

    private static Hit hit(StoredFields stored, ScoreDoc sd) throws IOException {
        Document d = stored.document(sd.doc);
        String source = d.get(IndexFields.SOURCE);
        int page = d.getField(IndexFields.PAGE).numericValue().intValue();
        String section = d.get(IndexFields.SECTION);
        return new Hit(d.get(IndexFields.ID), source, page, section, d.get(IndexFields.BODY), sd.score,
                IndexFields.citation(source, page, section));
    }

    /**
     * The full text of page {@code page} of {@code source} (0 for formats without pages), if it
     * exists and the caller's {@code groups} may see it; hidden and missing look the same.
     */
    public Optional<DocumentView> open(String source, int page, Set<String> groups) {
        maybeRefresh();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                Query ofSource = new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(IndexFields.SOURCE, source)), Occur.FILTER)
                        .add(AccessFilter.of("page", groups), Occur.FILTER)
                        .build();
                int pageCount = searcher.count(ofSource);
                Query exact = new BooleanQuery.Builder().add(ofSource, Occur.FILTER)
                        .add(new TermQuery(new Term(IndexFields.PAGE_KEY, Integer.toString(page))), Occur.FILTER)
                        .build();
                ScoreDoc[] found = searcher.search(exact, 1).scoreDocs;
                if (found.length == 0) return Optional.empty();
                Document d = searcher.storedFields().document(found[0].doc);
                Optional<Path> origin = Optional.ofNullable(d.get(IndexFields.ORIGIN)).map(Path::of);
                return Optional.of(new DocumentView(source, page, pageCount, d.get(IndexFields.BODY),
                        IndexFields.citation(source, page, ""), origin));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index", e);
        }
    }

    /**
     * {@link #open(String, int, Set)} for a citation as answers write it: {@code plan.pdf#page=3}
     * opens page 3, {@code guide.md#setup} or {@code notes.txt} the whole document.
     */
    public Optional<DocumentView> openCitation(String citation, Set<String> groups) {
        int hash = citation.lastIndexOf('#');
        if (hash < 0) return open(citation, 0, groups);
        String fragment = citation.substring(hash + 1);
        if (!fragment.matches("page=[1-9][0-9]{0,5}")) return open(citation.substring(0, hash), 0, groups);
        return open(citation.substring(0, hash), Integer.parseInt(fragment.substring(5)), groups);
    }

    /**
     * Up to {@code n} chunks the caller may see, one per source file in index order, preferring a
     * chunk under a heading: the material for example questions on an empty chat screen.
     */
    public List<Hit> topics(int n, Set<String> groups) {
        maybeRefresh();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                // Chunks come in index order, a file's together; stop once n files each have a heading.
                java.util.Map<String, Hit> bySource = new java.util.LinkedHashMap<>();
                StoredFields stored = searcher.storedFields();
                for (ScoreDoc sd : searcher.search(AccessFilter.of("chunk", groups), 5000).scoreDocs) {
                    Hit h = hit(stored, sd);
                    Hit kept = bySource.get(h.source());
                    if (kept == null && bySource.size() < n || kept != null && kept.section().isBlank() && !h.section().isBlank()) {
                        bySource.put(h.source(), h);
                    }
                    if (bySource.size() == n && bySource.values().stream().noneMatch(k -> k.section().isBlank())) break;
                }
                return List.copyOf(bySource.values());
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index", e);
        }
    }

    /** Makes the latest commit visible now. */
    public void refresh() {
        try {
            searchers.maybeRefreshBlocking();
            lastRefresh = clock.instant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot refresh the index", e);
        }
    }

    private void maybeRefresh() {
        Instant now = clock.instant();
        if (now.isBefore(lastRefresh.plus(tuning.refreshInterval()))) return;
        lastRefresh = now;
        try {
            searchers.maybeRefresh();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot refresh the index", e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the index", e);
        }
    }
}
