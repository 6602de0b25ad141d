package dev.spillway.retrieval.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.embed.CachingEmbedder;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.embed.LocalEmbedder;
import dev.spillway.retrieval.embed.LocalModel;
import dev.spillway.retrieval.eval.BeirDataset;
import dev.spillway.retrieval.index.ChunkIndexWriter;
import dev.spillway.retrieval.index.IndexedDocument;
import dev.spillway.retrieval.index.LuceneRetriever;
import dev.spillway.retrieval.index.SearchTuning;
import dev.spillway.retrieval.ingest.Chunker;
import dev.spillway.retrieval.ingest.IngestSummary;
import dev.spillway.retrieval.ingest.Ingestor;
import dev.spillway.retrieval.ingest.Parsers;
import dev.spillway.retrieval.ingest.ProgressListener;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Not a test: measures ingestion of a PDF folder (time, chunk token lengths) and hybrid query
 * latency over 10k+ chunks with the query vectors precomputed (so the model call is excluded).
 * Usage: {@code RetrievalBenchmark ingest <pdf-dir>} or {@code latency <beir-dir> <embeddings-cache>};
 * the default local model, or {@code -Dlocal-model=ID}; see docs/retrieval.md.
 */
public final class RetrievalBenchmark {
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("spillway-bench-");
        LocalModel local = LocalModel.byId(System.getProperty("local-model", RetrievalConfig.DEFAULTS.localModel().id())).orElseThrow();
        LocalEmbedder model = LocalEmbedder.load(local, work.resolve("models"), Runnable::run, 256);
        switch (args[0]) {
            case "ingest" -> ingest(Path.of(args[1]), work.resolve("demo-index"), model);
            case "latency" -> latency(Path.of(args[1]), Path.of(args[2]), work.resolve("big-index"), model);
            default -> throw new IllegalArgumentException("usage: ingest <pdf-dir> | latency <beir-dir> <embeddings-cache>");
        }
    }

    private static void ingest(Path pdfs, Path index, LocalEmbedder model) throws Exception {
        RetrievalConfig d = RetrievalConfig.DEFAULTS;
        LocalModel local = LocalModel.byId(model.modelId().substring(0, model.modelId().indexOf('@'))).orElseThrow();
        RetrievalConfig config = new RetrievalConfig(index, d.modelCacheDir(), d.embedder(), local, Optional.empty(), 1,
                d.embedMaxTokens(), d.chunkSize(), d.chunkOverlap(), d.search(), List.of(), Set.of());
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos();
        IngestSummary s = new Ingestor(config, model).ingest(List.of(pdfs), ProgressListener.NONE);
        System.out.printf("ingest %s: %s in %.1f s wall, %.1f s CPU (process)%n", pdfs, s,
                (System.nanoTime() - t0) / 1e9, (cpuNanos() - cpu0) / 1e9);
        long t1 = System.nanoTime();
        IngestSummary again = new Ingestor(config, model).ingest(List.of(pdfs), ProgressListener.NONE);
        System.out.printf("re-ingest unchanged: %s in %.2f s%n", again, (System.nanoTime() - t1) / 1e9);
        tokenLengths(pdfs, config);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Token counts of every chunk the ingestor makes, with the model's own tokenizer. */
    private static void tokenLengths(Path pdfs, RetrievalConfig config) throws Exception {
        Chunker chunker = new Chunker(config.chunkSize(), config.chunkOverlap());
        List<Integer> counts = new java.util.ArrayList<>();
        try (InputStream json = LocalEmbedder.class.getResourceAsStream("/" + config.localModel().id() + "-tokenizer.json");
             HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json,
                     Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
             var files = Files.list(pdfs)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pdf")).toList()) {
                for (Chunker.Chunk c : chunker.chunk(Parsers.forFile(f.toString()).orElseThrow().parse(Files.readAllBytes(f)))) {
                    counts.add(tokenizer.encode(IndexedDocument.Chunk.searchableText(c.section(), c.text())).getIds().length);
                }
            }
        }
        int[] t = counts.stream().mapToInt(Integer::intValue).sorted().toArray();
        long over = Arrays.stream(t).filter(x -> x > 256).count();
        System.out.printf("chunk tokens over %d chunks: p50 %d, p95 %d, max %d, over 256: %d%n", t.length,
                t[t.length / 2], t[(int) (t.length * 0.95)], t[t.length - 1], over);
    }

    private static void latency(Path beir, Path cacheFile, Path index, LocalEmbedder model) {
        BeirDataset data = BeirDataset.load(beir.resolve("corpus.jsonl"), beir.resolve("queries-train.jsonl"),
                beir.resolve("qrels-train.tsv"), 0);
        // Any vectors of the right kind do for latency: reuse a cache under the model id it was built with.
        String cachedId = System.getProperty("cache.model", model.modelId());
        Embedder named = new Embedder() {
            @Override
            public String modelId() {
                return cachedId;
            }

            @Override
            public List<float[]> embedPassages(List<String> texts) {
                return model.embedPassages(texts);
            }
        };
        try (CachingEmbedder cache = CachingEmbedder.open(named, cacheFile)) {
            int chunks = buildCopies(data, cache, index, 2);
            Embedder precomputed = cache; // query vectors were cached by `spillway eval retrieval`
            try (LuceneRetriever r = LuceneRetriever.open(index, precomputed, SearchTuning.DEFAULTS, Clock.systemUTC())) {
                for (BeirDataset.Query q : data.queries()) precomputed.embedQuery(q.text()); // warm: fills any cache misses
                for (Set<String> groups : List.of(Set.<String>of(), Set.of("g1"))) {
                    long[] nanos = new long[data.queries().size() * 3];
                    for (int i = 0; i < nanos.length; i++) {
                        String q = data.queries().get(i % data.queries().size()).text();
                        long t = System.nanoTime();
                        r.search(new SearchRequest(q, SearchMode.HYBRID, 10, groups));
                        nanos[i] = System.nanoTime() - t;
                    }
                    Arrays.sort(nanos);
                    System.out.printf("hybrid top-10 over %d chunks, groups %s, %d queries: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n",
                            chunks, groups, nanos.length, nanos[nanos.length / 2] / 1e6,
                            nanos[(int) (nanos.length * 0.95)] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6);
                }
            }
        }
    }

    /** Indexes {@code copies} copies of the corpus (vectors jittered, half of them in group g1). */
    private static int buildCopies(BeirDataset data, Embedder embedder, Path index, int copies) {
        Random random = new Random(42);
        int n = 0;
        try (ChunkIndexWriter w = ChunkIndexWriter.open(index, embedder.modelId())) {
            for (BeirDataset.Doc d : data.corpus()) {
                float[] v = embedder.embedPassages(List.of(IndexedDocument.Chunk.searchableText(d.title(), d.text()))).getFirst();
                for (int c = 0; c < copies; c++) {
                    float[] jittered = v.clone();
                    for (int i = 0; i < jittered.length; i++) jittered[i] += (float) (random.nextGaussian() * 0.01 * c);
                    Set<String> groups = random.nextBoolean() ? Set.of() : Set.of("g1");
                    w.replace(new IndexedDocument(d.id() + "-" + c, "", groups, List.of(), List.of(
                            new IndexedDocument.Chunk(0, d.title(), d.text(), dev.spillway.retrieval.embed.Vectors.normalize(jittered)))));
                    n++;
                }
            }
            w.commit();
        }
        return n;
    }
}
