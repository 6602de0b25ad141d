package dev.spillway.retrieval.index;

import dev.spillway.retrieval.embed.CachingEmbedder;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.embed.LocalEmbedder;
import dev.spillway.retrieval.embed.LocalModel;
import dev.spillway.retrieval.eval.BeirDataset;
import dev.spillway.retrieval.eval.RetrievalMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.FSDirectory;

/**
 * Not a test: screens retrieval variants of issue 12 offline over an ingested index, without
 * changing the product code. The BM25 leg runs on an in-memory copy of the index's chunks (same
 * analyzer, same text, so the same scores) that also has a field of title + heading; the vector
 * leg runs on the index itself. Every variant fuses the legs as {@link LinearFusion} does and ranks
 * units: pages ({@code file.pdf#page=N}) for the PDF questions, documents for a BEIR split.
 * {@code -Dlocal-model=ID}, {@code -Dquery-instruction=false}. {@code -Dsecond-model=ID
 * -Dsecond-cache=FILE} adds the late-fusion variants of a second bi-encoder ({@link #secondModel});
 * {@code second-cache} embeds a BEIR corpus and its queries with it ahead of time. {@code -Dlimit=N}
 * judges only the first N queries of a BEIR split. {@code -Dsources=FILE} (PDFs, one variant
 * chosen with {@code -Donly}) writes each question's top 3 for the simulator's {@code CitationScreen}.
 *
 * <pre>VariantScreen pdf INDEX-DIR QUERIES.tsv CACHE     (QUERIES.tsv from benchmarks/rag/page-recall-queries.py)
 * VariantScreen beir INDEX-DIR BEIR-DIR CACHE        (the train split; index from FusionTuning or eval retrieval)
 * VariantScreen second-cache BEIR-DIR                (with -Dsecond-model and -Dsecond-cache)</pre>
 */
public final class VariantScreen {
    record Chunk(String id, String unit, String source, int page, String section, String body) {
    }

    record Scored(String id, double score) {
    }

    record Case(String question, String query, Map<String, Integer> judged) {
    }

    private final Map<String, Chunk> chunks = new HashMap<>();
    /** PDF only: each chunk's heading path (the last major heading, then its own) and its vector embedded with it. */
    private final Map<String, String> paths = new HashMap<>();
    private final Map<String, float[]> pathVectors = new HashMap<>();
    private final Map<String, Map<Integer, List<String>>> bySourcePage = new HashMap<>();
    private final IndexSearcher real;
    private final IndexSearcher mirror;
    private final Embedder embedder;
    /** A second model that re-scores the first candidates ({@code -Dsecond-model}), or null. */
    private Embedder second;
    private final boolean pages;
    private final Analyzer analyzer = IndexFields.analyzer();

    VariantScreen(Path index, Embedder embedder, boolean pages) throws IOException {
        this.embedder = embedder;
        this.pages = pages;
        this.real = new IndexSearcher(DirectoryReader.open(FSDirectory.open(index)));
        StoredFields stored = real.storedFields();
        ByteBuffersDirectory mem = new ByteBuffersDirectory();
        try (IndexWriter w = new IndexWriter(mem, new IndexWriterConfig(analyzer))) {
            for (ScoreDoc sd : real.search(new TermQuery(new Term(IndexFields.KIND, "chunk")), Integer.MAX_VALUE).scoreDocs) {
                Document d = stored.document(sd.doc);
                String source = d.get(IndexFields.SOURCE);
                int page = d.getField(IndexFields.PAGE).numericValue().intValue();
                String section = d.get(IndexFields.SECTION);
                Chunk c = new Chunk(d.get(IndexFields.ID), pages ? IndexFields.citation(source, page, section) : source,
                        source, page, section, d.get(IndexFields.BODY));
                chunks.put(c.id(), c);
                bySourcePage.computeIfAbsent(source, k -> new HashMap<>()).computeIfAbsent(page, k -> new ArrayList<>()).add(c.id());
                String title = pages ? title(source) : "";
                w.addDocument(mirrorDoc(c.id(), title, section, section, c.body()));
            }
        }
        if (pages) headingPaths(mem);
        this.mirror = new IndexSearcher(DirectoryReader.open(mem));
    }

    /** A major heading has a word of four or more capitals ("COVERED SERVICES: Dialysis", "IMPORTANT PLAN INFORMATION"). */
    static boolean major(String heading) {
        return heading.matches(".*\\b\\p{Lu}{4,}\\b.*");
    }

    private void headingPaths(ByteBuffersDirectory mem) throws IOException {
        Map<String, List<Chunk>> bySource = new HashMap<>();
        for (Chunk c : chunks.values()) bySource.computeIfAbsent(c.source(), k -> new ArrayList<>()).add(c);
        List<String> ids = new ArrayList<>(), texts = new ArrayList<>();
        try (IndexWriter w = new IndexWriter(mem, new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
            for (List<Chunk> list : bySource.values()) {
                list.sort(java.util.Comparator.comparingInt(c -> Integer.parseInt(c.id().substring(c.id().lastIndexOf('#') + 1))));
                String parent = "";
                for (Chunk c : list) {
                    if (major(c.section())) parent = c.section();
                    String path = parent.isEmpty() || parent.equals(c.section()) || c.section().isBlank() ? c.section()
                            : parent + " > " + c.section();
                    paths.put(c.id(), path);
                    String title = title(c.source());
                    ids.add(c.id());
                    texts.add(IndexedDocument.Chunk.searchableText(title, path, c.body()));
                    w.updateDocument(new Term(IndexFields.ID, c.id()), mirrorDoc(c.id(), title, c.section(), path, c.body()));
                }
            }
        }
        long changed = chunks.values().stream().filter(c -> !paths.get(c.id()).equals(c.section())).count();
        System.out.printf("heading paths: %d of %d chunks get a major heading in front of their own%n", changed, chunks.size());
        for (int from = 0; from < ids.size(); from += 32) {
            List<float[]> v = embedder.embedPassages(texts.subList(from, Math.min(ids.size(), from + 32)));
            for (int i = 0; i < v.size(); i++) pathVectors.put(ids.get(from + i), v.get(i));
        }
    }

    private static Document mirrorDoc(String id, String title, String section, String path, String body) {
        Document m = new Document();
        m.add(new StringField(IndexFields.ID, id, Field.Store.YES));
        m.add(new TextField(IndexFields.TEXT, IndexedDocument.Chunk.searchableText(title, section, body), Field.Store.NO));
        m.add(new TextField("heads", IndexedDocument.Chunk.searchableText(title, section, ""), Field.Store.NO));
        m.add(new TextField("ptext", IndexedDocument.Chunk.searchableText(title, path, body), Field.Store.NO));
        m.add(new TextField("pheads", IndexedDocument.Chunk.searchableText(title, path, ""), Field.Store.NO));
        return m;
    }

    /**
     * Fused chunks, each on the page where its heading section starts (the section's first page
     * in its document) raised by {@code delta}: a "what is X" question is answered where X is
     * introduced.
     */
    List<Scored> sectionStart(List<Scored> fused, double delta) {
        Map<String, Integer> first = new HashMap<>();
        for (Chunk c : chunks.values()) first.merge(c.source() + "#" + c.section(), c.page(), Math::min);
        List<Scored> out = new ArrayList<>();
        for (Scored x : fused) {
            Chunk c = chunks.get(x.id());
            boolean starts = first.get(c.source() + "#" + c.section()) == c.page();
            out.add(new Scored(x.id(), x.score() + (starts ? delta : 0)));
        }
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        return out;
    }

    /** Exact nearest neighbours over the chunks embedded with their heading paths. */
    List<Scored> pathVector(String query) {
        float[] q = embedder.embedQuery(query);
        List<Scored> all = new ArrayList<>();
        for (var e : pathVectors.entrySet()) {
            double dot = 0;
            for (int i = 0; i < q.length; i++) dot += q[i] * e.getValue()[i];
            // the index's DOT_PRODUCT similarity reports (1 + dot) / 2
            all.add(new Scored(e.getKey(), (1 + dot) / 2));
        }
        all.sort((a, b) -> Double.compare(b.score(), a.score()));
        return all.subList(0, Math.min(100, all.size()));
    }

    /** BM25 over title + heading path + text, plus {@code boost} x BM25 over title + heading path. */
    List<Scored> pathText(String query, double boost) throws IOException {
        BooleanQuery.Builder q = new BooleanQuery.Builder().add(bm25("ptext", query), Occur.SHOULD);
        if (boost > 0) q.add(new BoostQuery(bm25("pheads", query), (float) boost), Occur.SHOULD);
        return run(q.build(), 100);
    }

    static String title(String source) {
        String name = source.substring(source.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).replaceAll("[_\\-]+", " ").strip();
    }

    // ---- legs ----

    Query bm25(String field, String query) {
        Query q = new TypoTolerantQueryBuilder(mirror.getIndexReader()).createBooleanQuery(field, query);
        return q == null ? new BooleanQuery.Builder().build() : q;
    }

    List<Scored> run(Query q, int n) throws IOException {
        List<Scored> out = new ArrayList<>();
        StoredFields stored = mirror.storedFields();
        for (ScoreDoc sd : mirror.search(q, n).scoreDocs) out.add(new Scored(stored.document(sd.doc).get(IndexFields.ID), sd.score));
        return out;
    }

    List<Scored> text(String query) throws IOException {
        return run(bm25(IndexFields.TEXT, query), 100);
    }

    /** BM25 over the text plus {@code boost} x BM25 over title + heading alone. */
    List<Scored> textWithHeads(String query, double boost) throws IOException {
        BooleanQuery q = new BooleanQuery.Builder().add(bm25(IndexFields.TEXT, query), Occur.SHOULD)
                .add(new BoostQuery(bm25("heads", query), (float) boost), Occur.SHOULD).build();
        return run(q, 100);
    }

    /** RM3: the query's terms (weight lambda) plus the top {@code terms} of the first {@code docs} hits' language model. */
    List<Scored> rm3(String query, int docs, int terms, double lambda) throws IOException {
        List<Scored> first = text(query);
        if (first.isEmpty()) return first;
        Map<String, Double> model = new HashMap<>();
        double total = 0;
        for (int i = 0; i < Math.min(docs, first.size()); i++) total += first.get(i).score();
        for (int i = 0; i < Math.min(docs, first.size()); i++) {
            Chunk c = chunks.get(first.get(i).id());
            List<String> toks = analyze(IndexedDocument.Chunk.searchableText(c.section(), c.body()));
            Map<String, Integer> tf = new HashMap<>();
            for (String t : toks) tf.merge(t, 1, Integer::sum);
            double weight = first.get(i).score() / total;
            for (var e : tf.entrySet()) model.merge(e.getKey(), weight * e.getValue() / toks.size(), Double::sum);
        }
        // terms in more than 10% of chunks carry no evidence (as Anserini drops stop-like terms)
        int n = mirror.getIndexReader().numDocs();
        List<Map.Entry<String, Double>> top = new ArrayList<>();
        for (var e : model.entrySet()) {
            if (e.getKey().length() < 2 || e.getKey().matches("[0-9.]+")) continue;
            if (mirror.getIndexReader().docFreq(new Term(IndexFields.TEXT, e.getKey())) > n / 10) continue;
            top.add(e);
        }
        top.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        top = top.subList(0, Math.min(terms, top.size()));
        double sum = top.stream().mapToDouble(Map.Entry::getValue).sum();
        List<String> original = analyze(query);
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(new BoostQuery(bm25(IndexFields.TEXT, query), (float) (lambda / Math.max(1, original.size()))), Occur.SHOULD);
        for (var e : top) {
            b.add(new BoostQuery(new TermQuery(new Term(IndexFields.TEXT, e.getKey())), (float) ((1 - lambda) * e.getValue() / sum)),
                    Occur.SHOULD);
        }
        return run(b.build(), 100);
    }

    List<String> analyze(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(IndexFields.TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(term.toString());
            ts.end();
        }
        return out;
    }

    List<Scored> vector(String query) throws IOException {
        float[] v = embedder.embedQuery(query);
        Query filter = AccessFilter.of("chunk", Set.of());
        List<Scored> out = new ArrayList<>();
        StoredFields stored = real.storedFields();
        for (ScoreDoc sd : real.search(new KnnFloatVectorQuery(IndexFields.VECTOR, v, 100, filter), 100).scoreDocs) {
            out.add(new Scored(stored.document(sd.doc).get(IndexFields.ID), sd.score));
        }
        return out;
    }

    // ---- fusion and units ----

    static List<Scored> fuse(List<Scored> text, List<Scored> vector, double w) {
        Map<String, Double> s = new LinkedHashMap<>();
        add(s, text, w);
        add(s, vector, 1 - w);
        List<Scored> out = new ArrayList<>();
        s.forEach((k, v) -> out.add(new Scored(k, v)));
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        return out;
    }

    private static void add(Map<String, Double> s, List<Scored> leg, double w) {
        if (leg.isEmpty()) return;
        double max = leg.getFirst().score(), min = leg.getLast().score();
        for (Scored x : leg) s.merge(x.id(), w * (max == min ? 1 : (x.score() - min) / (max - min)), Double::sum);
    }

    /** Units in order of their best chunk (what {@code LuceneRetriever} returns). */
    List<String> units(List<Scored> fused) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Scored s : fused) out.putIfAbsent(chunks.get(s.id()).unit(), s.id());
        bestChunks = out;
        return List.copyOf(out.keySet());
    }

    /** The best chunk of each unit of the last {@link #units} call, for {@code -Dsources}. */
    private Map<String, String> bestChunks = Map.of();

    /**
     * Units in order of their best chunk, but a unit whose section (source and heading) an earlier
     * unit already has waits until every other section has had its turn: the top 3 spread over
     * three sections when there are three.
     */
    List<String> sectionDiverse(List<Scored> fused) {
        List<String> first = new ArrayList<>(), later = new ArrayList<>();
        Set<String> sections = new HashSet<>(), units = new HashSet<>();
        for (Scored s : fused) {
            Chunk c = chunks.get(s.id());
            if (!units.add(c.unit())) continue;
            (sections.add(c.source() + "#" + c.section()) ? first : later).add(c.unit());
        }
        first.addAll(later);
        return first;
    }

    /** Units by best chunk + a x the sum of their other chunks' scores. */
    List<String> aggregated(List<Scored> fused, double a) {
        Map<String, Double> best = new HashMap<>(), rest = new HashMap<>();
        for (Scored s : fused) {
            String u = chunks.get(s.id()).unit();
            if (!best.containsKey(u)) best.put(u, s.score());
            else rest.merge(u, s.score(), Double::sum);
        }
        return rank(best, u -> best.get(u) + a * rest.getOrDefault(u, 0.0));
    }

    /**
     * Pages scored max(own best chunk, g x the best chunk of the page {@code offset} away): with
     * offset +1 a page gains from the page after it (its text ran on over the break).
     */
    List<String> neighbour(List<Scored> fused, int offset, double g) {
        Map<String, Double> best = new HashMap<>();
        for (Scored s : fused) best.putIfAbsent(chunks.get(s.id()).unit(), s.score());
        Map<String, Double> with = new HashMap<>(best);
        for (var e : best.entrySet()) {
            int eq = e.getKey().lastIndexOf('=');
            if (eq < 0) continue;
            String other = e.getKey().substring(0, eq + 1) + (Integer.parseInt(e.getKey().substring(eq + 1)) - offset);
            String src = e.getKey().substring(0, e.getKey().indexOf('#'));
            int page = Integer.parseInt(e.getKey().substring(eq + 1)) - offset;
            if (page < 1 || !bySourcePage.getOrDefault(src, Map.of()).containsKey(page)) continue;
            with.merge(other, g * e.getValue(), Math::max);
        }
        return rank(with, with::get);
    }

    private static List<String> rank(Map<String, Double> units, Function<String, Double> score) {
        List<String> out = new ArrayList<>(units.keySet());
        Map<String, Double> s = new HashMap<>();
        for (String u : out) s.put(u, score.apply(u));
        out.sort((a, b) -> Double.compare(s.get(b), s.get(a)));
        return out;
    }

    /** The text a chunk was embedded with at ingest (title, heading, text), so cached vectors match. */
    private String passageText(String chunkId) {
        Chunk c = chunks.get(chunkId);
        return IndexedDocument.Chunk.searchableText(pages ? title(c.source()) : "", c.section(), c.body());
    }

    /**
     * Late fusion with a second bi-encoder: the first {@code n} fused chunks re-scored by
     * (1 - lambda) x their fused score + lambda x the second model's cosine, both min-max
     * normalised over the {@code n}; the rest keep their order after them.
     */
    List<Scored> rerank(List<Scored> fused, String query, int n, double lambda) {
        List<Scored> top = fused.subList(0, Math.min(n, fused.size()));
        float[] q = second.embedQuery(query);
        List<float[]> v = second.embedPassages(top.stream().map(x -> passageText(x.id())).toList());
        double[] cos = new double[top.size()];
        for (int i = 0; i < cos.length; i++) cos[i] = dot(q, v.get(i));
        double[] f = top.stream().mapToDouble(Scored::score).toArray();
        double[] fn = minMax(f), cn = minMax(cos);
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < cos.length; i++) out.add(new Scored(top.get(i).id(), (1 - lambda) * fn[i] + lambda * cn[i]));
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        out.addAll(fused.subList(top.size(), fused.size()));
        return out;
    }

    /**
     * Maximal marginal relevance over the first {@code n} fused chunks: each next chunk maximises
     * lambda x relevance (fused score, min-max) - (1 - lambda) x its highest cosine to a chunk
     * already taken (vectors of the index's model); the rest keep their order after them.
     */
    List<Scored> mmr(List<Scored> fused, int n, double lambda) {
        List<Scored> top = new ArrayList<>(fused.subList(0, Math.min(n, fused.size())));
        List<float[]> v = embedder.embedPassages(top.stream().map(x -> passageText(x.id())).toList());
        double[] rel = minMax(top.stream().mapToDouble(Scored::score).toArray());
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) left.add(i);
        List<Integer> taken = new ArrayList<>();
        List<Scored> out = new ArrayList<>();
        while (!left.isEmpty()) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i : left) {
                double redundancy = 0;
                for (int j : taken) redundancy = Math.max(redundancy, dot(v.get(i), v.get(j)));
                double score = lambda * rel[i] - (1 - lambda) * redundancy;
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            left.remove(Integer.valueOf(best));
            taken.add(best);
            out.add(new Scored(top.get(best).id(), top.size() - out.size()));
        }
        out.addAll(fused.subList(top.size(), fused.size()));
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) d += a[i] * b[i];
        return d;
    }

    private static double[] minMax(double[] x) {
        double min = java.util.Arrays.stream(x).min().orElse(0), max = java.util.Arrays.stream(x).max().orElse(0);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = max == min ? 1 : (x[i] - min) / (max - min);
        return out;
    }

    /**
     * The second model by id: a {@link LocalModel}, or {@code e5-small-v2-q} (LangChain4j's
     * quantized e5-small-v2, when its jar is on the class path; "query: " / "passage: " prefixes
     * as its model card asks).
     */
    static Embedder secondModel(String id, Path models) throws ReflectiveOperationException {
        if (!id.equals("e5-small-v2-q")) return LocalEmbedder.load(LocalModel.byId(id).orElseThrow(), models, Runnable::run, 256);
        dev.langchain4j.model.embedding.EmbeddingModel e5 = (dev.langchain4j.model.embedding.EmbeddingModel) Class
                .forName("dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel")
                .getConstructor().newInstance();
        return new Embedder() {
            public String modelId() {
                return id;
            }

            public List<float[]> embedPassages(List<String> texts) {
                return embed(texts.stream().map(t -> "passage: " + t).toList());
            }

            public float[] embedQuery(String q) {
                return embed(List.of("query: " + q)).getFirst();
            }

            private List<float[]> embed(List<String> texts) {
                return e5.embedAll(texts.stream().map(dev.langchain4j.data.segment.TextSegment::from).toList()).content()
                        .stream().map(e -> dev.spillway.retrieval.embed.Vectors.normalize(e.vector())).toList();
            }
        };
    }

    // ---- main ----

    interface Variant {
        List<String> rank(Case c) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("second-cache")) {
            embedCorpus(Path.of(args[1]));
            return;
        }
        boolean pdf = args[0].equals("pdf");
        LocalModel model = LocalModel.byId(System.getProperty("local-model", dev.spillway.retrieval.RetrievalConfig.DEFAULTS.localModel().id())).orElseThrow();
        Path tmp = Files.createTempDirectory("spillway-screen-");
        Embedder local = LocalEmbedder.load(model, tmp.resolve("models"), Runnable::run, 256);
        try (CachingEmbedder cache = CachingEmbedder.open(local, Path.of(args[3]))) {
            Embedder e = Boolean.parseBoolean(System.getProperty("query-instruction", "true")) ? cache : new Embedder() {
                public String modelId() {
                    return cache.modelId();
                }

                public List<float[]> embedPassages(List<String> texts) {
                    return cache.embedPassages(texts);
                }

                public float[] embedQuery(String q) {
                    return cache.embedPassages(List.of(q)).getFirst();
                }
            };
            VariantScreen s = new VariantScreen(Path.of(args[1]), e, pdf);
            String secondId = System.getProperty("second-model", "");
            CachingEmbedder secondCache = secondId.isEmpty() ? null
                    : CachingEmbedder.open(secondModel(secondId, tmp.resolve("models")), Path.of(System.getProperty("second-cache")));
            s.second = secondCache;
            List<Case> cases = pdf ? pdfCases(Path.of(args[2])) : beirCases(Path.of(args[2]));
            Map<String, Variant> variants = variants(s, pdf);
            String only = System.getProperty("only", "");
            for (var v : variants.entrySet()) {
                if (!only.isEmpty() && !v.getKey().matches(only)) continue;
                report(s, v.getKey(), v.getValue(), cases, pdf);
            }
            if (secondCache != null) secondCache.close();
        }
    }

    /** Fills {@code -Dsecond-cache} with the second model's vectors of a BEIR corpus, as {@code beir} embeds it. */
    static void embedCorpus(Path beir) throws Exception {
        BeirDataset data = BeirDataset.load(beir.resolve("corpus.jsonl"), beir.resolve("queries-train.jsonl"),
                beir.resolve("qrels-train.tsv"), 0);
        Embedder model = secondModel(System.getProperty("second-model"), Files.createTempDirectory("spillway-screen-"));
        try (CachingEmbedder cache = CachingEmbedder.open(model, Path.of(System.getProperty("second-cache")))) {
            List<String> texts = data.corpus().stream().map(d -> IndexedDocument.Chunk.searchableText(d.title(), d.text())).toList();
            for (int from = 0; from < texts.size(); from += 32) cache.embedPassages(texts.subList(from, Math.min(texts.size(), from + 32)));
            data.queries().forEach(q -> cache.embedQuery(q.text()));
        }
    }

    static Map<String, Variant> variants(VariantScreen s, boolean pdf) {
        Map<String, Variant> v = new LinkedHashMap<>();
        Map<String, List<Scored>> texts = new HashMap<>(), vectors = new HashMap<>();
        Function<String, List<Scored>> text = q -> texts.computeIfAbsent(q, k -> unchecked(() -> s.text(k)));
        Function<String, List<Scored>> vector = q -> vectors.computeIfAbsent(q, k -> unchecked(() -> s.vector(k)));
        v.put("text", c -> s.units(text.apply(c.query())));
        v.put("vector", c -> s.units(vector.apply(c.query())));
        for (double w : new double[] {0.3, 0.4, 0.5, 0.6, 0.7}) {
            v.put("hybrid w=" + w, c -> s.units(fuse(text.apply(c.query()), vector.apply(c.query()), w)));
        }
        for (double a : new double[] {0.05, 0.1, 0.2, 0.5}) {
            v.put("aggregate a=" + a, c -> s.aggregated(fuse(text.apply(c.query()), vector.apply(c.query()), 0.6), a));
        }
        v.put("section-diverse", c -> s.sectionDiverse(fuse(text.apply(c.query()), vector.apply(c.query()), 0.6)));
        for (double b : new double[] {0.25, 0.5, 1, 2}) {
            v.put("heads-field b=" + b, c -> s.units(fuse(s.textWithHeads(c.query(), b), vector.apply(c.query()), 0.6)));
            v.put("heads-field text-only b=" + b, c -> s.units(s.textWithHeads(c.query(), b)));
        }
        for (double b : new double[] {0.5, 0.75, 1, 1.5}) {
            for (double w : new double[] {0.6, 0.7, 0.8, 0.9}) {
                v.put("heads b=" + b + " w=" + w, c -> s.units(fuse(s.textWithHeads(c.query(), b), vector.apply(c.query()), w)));
            }
        }
        for (int docs : new int[] {5, 10}) {
            for (int terms : new int[] {10, 20}) {
                for (double lambda : new double[] {0.5, 0.7, 0.85}) {
                    String name = "rm3 docs=" + docs + " terms=" + terms + " lambda=" + lambda;
                    v.put(name + " text-only", c -> s.units(s.rm3(c.query(), docs, terms, lambda)));
                    v.put(name, c -> s.units(fuse(s.rm3(c.query(), docs, terms, lambda), vector.apply(c.query()), 0.6)));
                }
            }
        }
        Function<Case, List<Scored>> hybrid = c -> fuse(text.apply(c.query()), vector.apply(c.query()), 0.6);
        for (int n : new int[] {10, 20, 30}) {
            for (double lambda : new double[] {0.5, 0.7, 0.85}) {
                v.put("mmr n=" + n + " lambda=" + lambda, c -> s.units(s.mmr(hybrid.apply(c), n, lambda)));
            }
        }
        for (double d : new double[] {0.02, 0.05, 0.1, 0.15, 0.2, 0.3}) {
            v.put("section start delta=" + d, c -> s.units(s.sectionStart(hybrid.apply(c), d)));
        }
        if (s.second != null) {
            v.put("second model alone", c -> s.units(s.rerank(hybrid.apply(c), c.query(), 100, 1)));
            for (int n : new int[] {10, 20, 30}) {
                for (double lambda : new double[] {0.2, 0.35, 0.5, 0.7}) {
                    v.put("rerank second n=" + n + " lambda=" + lambda, c -> s.units(s.rerank(hybrid.apply(c), c.query(), n, lambda)));
                }
            }
        }
        if (pdf) {
            v.put("path: vector only", c -> s.units(s.pathVector(c.query())));
            v.put("path: text only", c -> s.units(s.pathText(c.query(), 0)));
            v.put("path: embedded only", c -> s.units(fuse(text.apply(c.query()), s.pathVector(c.query()), 0.6)));
            v.put("path: embedded and BM25", c -> s.units(fuse(s.pathText(c.query(), 0), s.pathVector(c.query()), 0.6)));
            for (double w : new double[] {0.7, 0.9}) {
                v.put("path: both + heads b=1 w=" + w, c -> s.units(fuse(s.pathText(c.query(), 1), s.pathVector(c.query()), w)));
            }
            v.put("expand with question", c -> {
                String q = c.query() + " " + c.question();
                return s.units(fuse(s.text(q), s.vector(q), 0.6));
            });
            v.put("vector leg on the question", c -> s.units(fuse(text.apply(c.query()), vector.apply(c.question()), 0.6)));
            v.put("vector leg on question + query",
                    c -> s.units(fuse(text.apply(c.query()), vector.apply(c.question() + " " + c.query()), 0.6)));
            v.put("expand text leg only", c -> s.units(fuse(s.text(c.query() + " " + c.question()), vector.apply(c.query()), 0.6)));
            for (double g : new double[] {0.5, 0.8, 0.9, 0.95}) {
                v.put("neighbour prev g=" + g, c -> s.neighbour(fuse(text.apply(c.query()), vector.apply(c.query()), 0.6), 1, g));
                v.put("neighbour next g=" + g, c -> s.neighbour(fuse(text.apply(c.query()), vector.apply(c.query()), 0.6), -1, g));
            }
        }
        return v;
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    static <T> T unchecked(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Case> pdfCases(Path tsv) throws IOException {
        List<Case> out = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            String[] f = line.split("\t");
            Map<String, Integer> judged = new HashMap<>();
            for (String t : f[2].split(" ")) judged.put(t, 1);
            out.add(new Case(f[0], f[1], judged));
        }
        return out;
    }

    static List<Case> beirCases(Path dir) {
        BeirDataset data = BeirDataset.load(dir.resolve("corpus.jsonl"), dir.resolve("queries-train.jsonl"),
                dir.resolve("qrels-train.tsv"), Integer.getInteger("limit", 0));
        return data.queries().stream().map(q -> new Case(q.text(), q.text(), data.qrels().get(q.id()))).toList();
    }

    /**
     * The first three units as the chat app would give them to the model, each by the text of its
     * best chunk (one JSON line for the simulator's {@code CitationScreen}, as {@code PageRecall
     * sources} writes it); only for variants ranked by {@link #units}.
     */
    String sourcesLine(Case c, List<String> ranked, com.fasterxml.jackson.databind.ObjectMapper json) throws IOException {
        List<Map<String, String>> top = ranked.stream().limit(3).map(u -> Map.of("citation", u,
                "text", chunks.get(bestChunks.get(u)).body().replaceAll("\\s+", " ").strip())).toList();
        return json.writeValueAsString(Map.of("question", c.question(), "truth", List.copyOf(c.judged().keySet()), "sources", top));
    }

    /** A miss, with what might explain it: the truth's rank, a neighbour of a truth page in the top 3, two truth pages. */
    static String diagnose(Case c, List<String> ranked, int rank) {
        List<String> top = ranked.subList(0, Math.min(3, ranked.size()));
        String near = "";
        for (String t : c.judged().keySet()) {
            int eq = t.lastIndexOf('=');
            int p = Integer.parseInt(t.substring(eq + 1));
            for (int d : new int[] {1, -1}) {
                String other = t.substring(0, eq + 1) + (p + d);
                for (String u : top) if (u.equalsIgnoreCase(other)) near += (d > 0 ? " next-page" : " prev-page");
            }
        }
        return String.format(Locale.ROOT, "rank %2d truths %d%s | %s | top3 %s", rank, c.judged().size(), near, c.question(),
                top.stream().map(u -> u.replace("_Benefits_Details.pdf#page=", "#")).toList());
    }

    static void report(VariantScreen s, String name, Variant v, List<Case> cases, boolean pdf) throws IOException {
        double a = 0, b = 0, c3 = 0;
        List<String> missed = new ArrayList<>();
        String sourcesFile = System.getProperty("sources", "");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> sources = new ArrayList<>();
        for (Case c : cases) {
            List<String> ranked = v.rank(c);
            if (pdf && !sourcesFile.isEmpty()) sources.add(s.sourcesLine(c, ranked, json));
            if (pdf) {
                Set<String> truth = new HashSet<>();
                for (String t : c.judged().keySet()) truth.add(t.toLowerCase(Locale.ROOT));
                int rank = -1;
                for (int i = 0; i < ranked.size() && rank < 0; i++) if (truth.contains(ranked.get(i).toLowerCase(Locale.ROOT))) rank = i;
                if (rank == 0) a++;
                if (rank >= 0 && rank < 3) b++;
                else missed.add(diagnose(c, ranked, rank));
            } else {
                a += RetrievalMetrics.ndcg(ranked, c.judged(), 10);
                b += RetrievalMetrics.recall(ranked, c.judged(), 100);
                c3 += RetrievalMetrics.reciprocalRank(ranked, c.judged(), 10);
            }
        }
        int n = cases.size();
        if (!sources.isEmpty()) Files.write(Path.of(sourcesFile), sources);
        if (pdf) {
            System.out.printf(Locale.ROOT, "%-48s first %2d/%d  top3 %2d/%d%n", name, (int) a, n, (int) b, n);
            if (Boolean.getBoolean("verbose")) missed.forEach(m -> System.out.println("    miss: " + m));
        } else {
            System.out.printf(Locale.ROOT, "%-48s nDCG@10 %.4f  R@100 %.4f  MRR@10 %.4f%n", name, a / n, b / n, c3 / n);
        }
        System.out.flush();
    }
}
