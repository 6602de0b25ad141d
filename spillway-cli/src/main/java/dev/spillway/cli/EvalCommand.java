package dev.spillway.cli;

import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.embed.CachingEmbedder;
import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.embed.LocalEmbedder;
import dev.spillway.retrieval.embed.LocalModel;
import dev.spillway.retrieval.eval.BeirDataset;
import dev.spillway.retrieval.eval.RetrievalEvaluation;
import dev.spillway.retrieval.index.SearchTuning;
import dev.spillway.retrieval.ingest.TerminalProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spillway eval retrieval|answers}: measures search and answer quality offline. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure retrieval quality (BEIR collections) or answer quality (question/answer JSONL).",
        subcommands = {EvalCommand.Retrieval.class, EvalAnswersCommand.class})
public final class EvalCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Indexes a BEIR corpus into a temporary index and reports nDCG@10, Recall@100, MRR@10 per mode. */
    @Command(name = "retrieval", mixinStandardHelpOptions = true,
            description = "Index a BEIR corpus (one document = one chunk) and report nDCG@10, Recall@100 and MRR@10.")
    static final class Retrieval implements Callable<Integer> {
        @Option(names = "--corpus", required = true, description = "corpus.jsonl ({_id, title, text} per line)")
        Path corpus;
        @Option(names = "--queries", required = true, description = "queries.jsonl ({_id, text} per line)")
        Path queries;
        @Option(names = "--qrels", required = true, description = "qrels TSV: query-id, corpus-id, score")
        Path qrels;
        @Option(names = "--modes", split = ",", defaultValue = "text,vector,hybrid",
                description = "search modes to measure (default: ${DEFAULT-VALUE})")
        List<SearchMode> modes;
        @Option(names = "--limit", defaultValue = "0", description = "only the first N judged queries (0 = all)")
        int limit;
        @Option(names = "--embeddings-cache", description = "file of vectors keyed by text hash, reused across runs")
        Optional<Path> embeddingsCache;
        @Option(names = "--candidates", defaultValue = "100", description = "hits per leg before fusion (default: ${DEFAULT-VALUE})")
        int candidates;
        @Option(names = "--fusion", defaultValue = "linear", description = "hybrid fusion: linear or rrf (default: ${DEFAULT-VALUE})")
        SearchTuning.Fusion fusion;
        @Option(names = "--rrf-k", defaultValue = "60", description = "reciprocal rank fusion constant (default: ${DEFAULT-VALUE})")
        int rrfK;
        @Option(names = "--text-weight", defaultValue = "0.6", description = "BM25 weight in linear fusion (default: ${DEFAULT-VALUE})")
        double textWeight;
        @Option(names = "--max-tokens", defaultValue = "256",
                description = "the model reads at most this many tokens of a text (the jar's config says 128) (default: ${DEFAULT-VALUE})")
        int maxTokens;
        @Option(names = "--local-model", defaultValue = "bge-small-en-v1.5-q",
                description = "in-process embedding model: all-minilm-l6-v2-q or bge-small-en-v1.5-q (default: ${DEFAULT-VALUE})")
        String localModel;
        @Option(names = "--threads", defaultValue = "1", description = "embedding threads (default: ${DEFAULT-VALUE})")
        int threads;
        @Option(names = "--model-cache-dir", defaultValue = "data/models", description = "writable dir for the model's native libraries")
        Path modelCacheDir;

        @Override
        public Integer call() throws IOException {
            SearchTuning tuning = new SearchTuning(candidates, fusion, rrfK, textWeight, Duration.ZERO);
            BeirDataset data = BeirDataset.load(corpus, queries, qrels, limit);
            System.out.printf("corpus %d docs, %d judged queries%n", data.corpus().size(), data.queries().size());
            Path indexDir = Files.createTempDirectory("spillway-eval-");
            LocalModel local = LocalModel.byId(localModel).orElseThrow(() -> new IllegalArgumentException(
                    "--local-model: must be one of " + List.of(LocalModel.values()).stream().map(LocalModel::id).toList()
                            + ", was '" + localModel + "'"));
            Embedder model = LocalEmbedder.load(local, modelCacheDir, threads == 1 ? Runnable::run
                    : java.util.concurrent.Executors.newFixedThreadPool(threads), maxTokens);
            try (AutoCloseable cache = cacheOrNothing(model)) {
                Embedder embedder = cache instanceof CachingEmbedder c ? c : model;
                RetrievalEvaluation eval = new RetrievalEvaluation(data, embedder, TerminalProgress.onStdout());
                long t0 = System.nanoTime();
                eval.index(indexDir);
                System.out.printf("indexed in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                print(eval.evaluate(indexDir, tuning, modes), tuning);
            } catch (Exception e) {
                if (e instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e);
            } finally {
                deleteRecursively(indexDir);
            }
            return 0;
        }

        private AutoCloseable cacheOrNothing(Embedder model) {
            return embeddingsCache.<AutoCloseable>map(f -> CachingEmbedder.open(model, f)).orElse(() -> { });
        }

        private static void print(List<RetrievalEvaluation.ModeResult> results, SearchTuning tuning) {
            System.out.printf("candidates=%d fusion=%s rrf-k=%d text-weight=%.2f%n", tuning.candidates(),
                    tuning.fusion().name().toLowerCase(), tuning.rrfK(), tuning.textWeight());
            System.out.printf("%-8s %8s %8s %8s %8s %9s%n", "mode", "nDCG@10", "R@100", "MRR@10", "queries", "ms/query");
            for (var r : results) {
                System.out.printf("%-8s %8.4f %8.4f %8.4f %8d %9.2f%n", r.mode().name().toLowerCase(), r.ndcg10(),
                        r.recall100(), r.mrr10(), r.queries(), r.msPerQuery());
            }
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
