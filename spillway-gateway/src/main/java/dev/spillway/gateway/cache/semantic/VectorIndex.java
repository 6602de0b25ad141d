package dev.spillway.gateway.cache.semantic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.Bits;

/**
 * One replica's searchable copy of the semantic entries: a Lucene index in memory whose vectors
 * sit in an HNSW graph, searched one bucket (partition, deployment, context, model) at a time.
 *
 * <p>Implementation notes. A plain scan of 100k 384-d vectors took 19 ms (p50) on the project's
 * box, over the 5 ms target, so a large bucket is searched through Lucene's graph. A small one
 * (at most {@value #SCAN_AT_MOST} entries) is scanned exactly instead: with a filter that keeps
 * few documents Lucene walks the graph and then scans the bucket anyway, paying for both, while a
 * scan of the bucket's postings alone costs one dot product per entry. {@code sizes} counts each
 * bucket's live entries to choose; a bucket that holds every live entry is searched without a
 * filter. A bulk load ({@link #putAll}) fits one in-memory segment ({@link #ramBufferMb}), so it
 * is flushed as one graph instead of many that background merges then rebuild while lookups
 * search all of them. Writes are serialised ({@code synchronized}) and refresh the searcher
 * before they return, so a lookup after {@code put} sees the entry; lookups run concurrently on
 * the last refreshed searcher. {@code live} holds each entry's keys, expiry and weight (not its
 * vector, which only Lucene keeps; a lookup skips an expired hit), {@code order} the insertion
 * order the entry and byte bounds evict by (oldest first); an id put again is a new generation,
 * so its older place in {@code order} is skipped. Thread-safe; close it to free the memory.
 */
public final class VectorIndex implements AutoCloseable {
    /** A found entry (its request digest: the answer's key in the query's partition) and its cosine similarity. */
    public record Hit(String request, double similarity) {
    }

    /** What the index keeps of an entry beside Lucene's copy of its vector. */
    private record Live(String app, String partition, String bucket, String request, long expiresAt, long weight,
            long generation) {
        Live(SemanticEntry e, long generation) {
            this(e.app(), e.partition(), e.bucket(), e.request(), e.expiresAt(), e.weight(), generation);
        }
    }

    private record Placed(String id, long generation) {
    }

    /** Candidates fetched per lookup, so an expired nearest entry does not hide a live one. */
    private static final int CANDIDATES = 4;
    /** The largest bucket scanned exactly (SemanticLookupBenchmark: 0.31 ms p50 for 1,000 at 384-d). */
    static final int SCAN_AT_MOST = 4096;
    private static final String ID = "id";
    private static final String APP = "app";
    private static final String PARTITION = "partition";
    private static final String BUCKET = "bucket";
    private static final String VECTOR = "vector";

    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Map<String, Integer> sizes = new ConcurrentHashMap<>();
    private final ArrayDeque<Placed> order = new ArrayDeque<>();
    private final int maxEntries;
    private final long maxBytes;
    private final Clock clock;
    private long bytes;
    private long generation;

    public VectorIndex(int maxEntries, long maxBytes, Clock clock) {
        if (maxEntries < 1) throw new IllegalArgumentException("max-entries: must be >= 1, was " + maxEntries);
        if (maxBytes < 1) throw new IllegalArgumentException("max-bytes: must be >= 1, was " + maxBytes);
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.clock = clock;
        ConcurrentMergeScheduler merges = new ConcurrentMergeScheduler();
        // Merges rebuild HNSW graphs: one thread keeps them from taking every core of a small box.
        merges.setMaxMergesAndThreads(2, 1);
        try {
            this.writer = new IndexWriter(new ByteBuffersDirectory(), new IndexWriterConfig()
                    .setCodec(new WideVectorCodec()).setMergeScheduler(merges).setUseCompoundFile(false).setCommitOnClose(false)
                    .setRAMBufferSizeMB(ramBufferMb(maxBytes)));
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the in-memory vector index", e);
        }
    }

    /** Adds or replaces the entry with the same id; evicts the oldest entries over the bounds. */
    public synchronized void put(SemanticEntry entry) {
        putWithoutRefresh(entry);
        refresh();
    }

    /** Adds many entries with one refresh (a replica loading the shared store at start). */
    public synchronized void putAll(Collection<SemanticEntry> entries) {
        entries.forEach(this::putWithoutRefresh);
        refresh();
    }

    /** Removes one entry by {@link SemanticEntry#id()}; nothing when it is not here. */
    public synchronized void remove(String id) {
        Live gone = live.remove(id);
        if (gone == null) return;
        forget(gone);
        delete(new Term(ID, id));
        refresh();
    }

    /** Removes every entry of {@code app}, or of one of its partitions; returns how many. */
    public synchronized int purge(String app, Optional<String> partition) {
        int[] removed = {0};
        live.values().removeIf(l -> {
            boolean covered = l.app().equals(app) && partition.map(l.partition()::equals).orElse(true);
            if (covered) {
                forget(l);
                removed[0]++;
            }
            return covered;
        });
        delete(partition.map(p -> new Term(PARTITION, p)).orElse(new Term(APP, app)));
        refresh();
        return removed[0];
    }

    /** Forgets everything (a replica that lost track of the shared store reloads it). */
    public synchronized void clear() {
        live.clear();
        sizes.clear();
        order.clear();
        bytes = 0;
        try {
            writer.deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        refresh();
    }

    /**
     * The closest live entry of {@code bucket} whose similarity to {@code vector} (unit length) is
     * at least {@code threshold}. Never blocks on writers.
     */
    public Optional<Hit> nearest(String bucket, float[] vector, double threshold) {
        int size = sizes.getOrDefault(bucket, 0);
        if (size == 0) return Optional.empty();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                ScoreDoc[] found = size <= SCAN_AT_MOST ? scan(searcher, bucket, vector)
                        : searcher.search(graphQuery(bucket, vector, size), CANDIDATES).scoreDocs;
                return best(searcher, found, threshold);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("semantic index search failed", e);
        }
    }

    /** The graph search, filtered to the bucket unless it holds every live entry. */
    private Query graphQuery(String bucket, float[] vector, int size) {
        if (size >= live.size()) return new KnnFloatVectorQuery(VECTOR, vector, CANDIDATES);
        return new KnnFloatVectorQuery(VECTOR, vector, CANDIDATES, new TermQuery(new Term(BUCKET, bucket)));
    }

    /** The bucket's closest documents by an exact scan of its postings, best first. */
    private static ScoreDoc[] scan(IndexSearcher searcher, String bucket, float[] vector) throws IOException {
        var top = new PriorityQueue<ScoreDoc>(CANDIDATES + 1, (a, b) -> Float.compare(a.score, b.score));
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            PostingsEnum docs = leaf.reader().postings(new Term(BUCKET, bucket), PostingsEnum.NONE);
            FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
            if (docs == null || values == null) continue;
            Bits alive = leaf.reader().getLiveDocs();
            VectorScorer scorer = values.scorer(vector);
            DocIdSetIterator withVector = scorer.iterator();
            for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                if (alive != null && !alive.get(doc)) continue;
                if (withVector.docID() < doc) withVector.advance(doc);
                if (withVector.docID() != doc) continue;
                float score = scorer.score();
                if (top.size() == CANDIDATES && score <= top.peek().score) continue;
                top.add(new ScoreDoc(leaf.docBase + doc, score));
                if (top.size() > CANDIDATES) top.poll();
            }
        }
        ScoreDoc[] best = new ScoreDoc[top.size()];
        for (int i = best.length - 1; i >= 0; i--) best[i] = top.poll();
        return best;
    }

    /** The first of {@code found} (best first) that is still live, if it reaches {@code threshold}. */
    private Optional<Hit> best(IndexSearcher searcher, ScoreDoc[] found, double threshold) throws IOException {
        long now = clock.millis();
        for (ScoreDoc d : found) {
            // Lucene scores a dot product of unit vectors as (1 + cosine) / 2.
            double similarity = Math.min(1, 2.0 * d.score - 1);
            if (similarity < threshold) break;
            String id = searcher.storedFields().document(d.doc, Set.of(ID)).get(ID);
            Live l = live.get(id);
            if (l != null && l.expiresAt() > now) return Optional.of(new Hit(l.request(), similarity));
        }
        return Optional.empty();
    }

    /**
     * Merges the index into one segment and waits for it and any background merge: the settled
     * state the lookup benchmark measures (a bulk load is one segment already).
     */
    void compact() {
        try {
            writer.forceMerge(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        refresh();
    }

    /** How many entries the index holds. */
    public int size() {
        return live.size();
    }

    /** What the entries weigh ({@link SemanticEntry#weight()}), in bytes. */
    public synchronized long bytes() {
        return bytes;
    }

    @Override
    public synchronized void close() {
        try {
            searchers.close();
            writer.rollback();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void putWithoutRefresh(SemanticEntry entry) {
        if (entry.expiresAt() <= clock.millis()) return;
        Live added = new Live(entry, ++generation);
        Live old = live.put(entry.id(), added);
        if (old != null) forget(old);
        bytes += added.weight();
        sizes.merge(added.bucket(), 1, Integer::sum);
        order.addLast(new Placed(entry.id(), generation));
        Document doc = new Document();
        doc.add(new StringField(ID, entry.id(), Field.Store.YES));
        doc.add(new StringField(APP, entry.app(), Field.Store.NO));
        doc.add(new StringField(PARTITION, entry.partition(), Field.Store.NO));
        doc.add(new StringField(BUCKET, entry.bucket(), Field.Store.NO));
        doc.add(new KnnFloatVectorField(VECTOR, entry.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        try {
            writer.updateDocument(new Term(ID, entry.id()), doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        evictOverBounds();
    }

    /** Removes the oldest entries (expired ones go first too, as they are the oldest) until within bounds. */
    private void evictOverBounds() {
        long now = clock.millis();
        while (!order.isEmpty()) {
            Placed oldest = order.peekFirst();
            Live l = live.get(oldest.id());
            if (l == null || l.generation() != oldest.generation()) {
                order.removeFirst();
                continue;
            }
            boolean over = live.size() > maxEntries || bytes > maxBytes || l.expiresAt() <= now;
            if (!over) return;
            order.removeFirst();
            live.remove(oldest.id());
            forget(l);
            delete(new Term(ID, oldest.id()));
        }
    }

    /** Takes a removed entry out of the byte and bucket counts. */
    private void forget(Live gone) {
        bytes -= gone.weight();
        sizes.computeIfPresent(gone.bucket(), (b, n) -> n == 1 ? null : n - 1);
    }

    /**
     * The indexing buffer: room for a load up to the byte bound (twice its weight, for the
     * graph and postings beside the vectors), so it flushes as one segment; 16 to 1024 MB.
     */
    static double ramBufferMb(long maxBytes) {
        return Math.clamp(2.0 * maxBytes / (1 << 20), 16, 1024);
    }

    private void delete(Term term) {
        try {
            writer.deleteDocuments(term);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("semantic index refresh failed", e);
        }
    }
}
