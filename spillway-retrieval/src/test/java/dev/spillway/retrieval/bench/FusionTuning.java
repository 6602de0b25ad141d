package dev.spillway.retrieval.bench;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.RetrievalConfig;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.embed.CachingEmbedder;
import dev.spillway.retrieval.embed.LocalEmbedder;
import dev.spillway.retrieval.embed.LocalModel;
import dev.spillway.retrieval.eval.BeirDataset;
import dev.spillway.retrieval.eval.RetrievalEvaluation;
import dev.spillway.retrieval.eval.RetrievalMetrics;
import dev.spillway.retrieval.index.LuceneRetriever;
import dev.spillway.retrieval.index.SearchTuning;
import dev.spillway.retrieval.ingest.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Not a test: explores fusion settings on a BEIR train split from cached vectors. Runs each leg
 * once (top 100 with scores), then fuses offline.
 * Usage: {@code FusionTuning <beir-dir> <cache> [max-tokens] [local-model]}; {@code -Dquery-instruction=false}
 * embeds the queries without the model's instruction.
 */
public final class FusionTuning {
    record Leg(List<String> ids, List<Double> scores) {
    }

    public static void main(String[] args) throws Exception {
        Path beir = Path.of(args[0]);
        BeirDataset data = BeirDataset.load(beir.resolve("corpus.jsonl"), beir.resolve("queries-train.jsonl"),
                beir.resolve("qrels-train.tsv"), 0);
        Path index = Files.createTempDirectory("spillway-tune-");
        LocalModel local = LocalModel.byId(args.length > 3 ? args[3] : RetrievalConfig.DEFAULTS.localModel().id()).orElseThrow();
        LocalEmbedder model = LocalEmbedder.load(local, index.resolve("models"), Runnable::run,
                args.length > 2 ? Integer.parseInt(args[2]) : 256);
        Map<String, Leg> text = new HashMap<>(), vector = new HashMap<>();
        try (CachingEmbedder cache = CachingEmbedder.open(model, Path.of(args[1]))) {
            new RetrievalEvaluation(data, cache, ProgressListener.NONE).index(index.resolve("idx"));
            System.out.println("index: " + index.resolve("idx") + " (kept for VariantScreen beir)");
            try (LuceneRetriever r = LuceneRetriever.open(index.resolve("idx"), NoQueryInstruction.unless(cache),
                    SearchTuning.DEFAULTS, Clock.systemUTC())) {
                for (BeirDataset.Query q : data.queries()) {
                    text.put(q.id(), leg(r.search(new SearchRequest(q.text(), SearchMode.TEXT, 100, Set.of()))));
                    vector.put(q.id(), leg(r.search(new SearchRequest(q.text(), SearchMode.VECTOR, 100, Set.of()))));
                }
            }
        }
        report("text", data, q -> text.get(q).ids());
        report("vector", data, q -> vector.get(q).ids());
        for (int k : new int[] {5, 10, 60}) {
            for (int depth : new int[] {50, 100}) {
                for (double wt : new double[] {0.5, 0.6, 0.7}) {
                    report("rrf k=" + k + " depth=" + depth + " wt=" + wt, data,
                            q -> rrf(text.get(q), vector.get(q), k, depth, wt));
                }
            }
        }
        for (double a : new double[] {0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8}) {
            report("minmax alpha=" + a, data, q -> convex(text.get(q), vector.get(q), a));
        }
    }

    static Leg leg(List<Hit> hits) {
        return new Leg(hits.stream().map(Hit::source).toList(), hits.stream().map(Hit::score).toList());
    }

    static List<String> rrf(Leg t, Leg v, int k, int depth, double wt) {
        Map<String, Double> s = new HashMap<>();
        for (int i = 0; i < Math.min(depth, t.ids().size()); i++) s.merge(t.ids().get(i), wt / (k + i + 1), Double::sum);
        for (int i = 0; i < Math.min(depth, v.ids().size()); i++) s.merge(v.ids().get(i), (1 - wt) / (k + i + 1), Double::sum);
        return top(s);
    }

    static List<String> convex(Leg t, Leg v, double alpha) {
        Map<String, Double> s = new HashMap<>();
        add(s, t, alpha);
        add(s, v, 1 - alpha);
        return top(s);
    }

    private static void add(Map<String, Double> s, Leg leg, double w) {
        if (leg.ids().isEmpty()) return;
        double max = leg.scores().getFirst(), min = leg.scores().getLast();
        for (int i = 0; i < leg.ids().size(); i++) {
            double norm = max == min ? 1 : (leg.scores().get(i) - min) / (max - min);
            s.merge(leg.ids().get(i), w * norm, Double::sum);
        }
    }

    private static List<String> top(Map<String, Double> s) {
        List<Map.Entry<String, Double>> e = new ArrayList<>(s.entrySet());
        e.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        return e.stream().limit(100).map(Map.Entry::getKey).toList();
    }

    private static void report(String name, BeirDataset data, java.util.function.Function<String, List<String>> run) {
        double ndcg = 0, recall = 0, mrr = 0;
        for (BeirDataset.Query q : data.queries()) {
            List<String> ranked = run.apply(q.id());
            var judged = data.qrels().get(q.id());
            ndcg += RetrievalMetrics.ndcg(ranked, judged, 10);
            recall += RetrievalMetrics.recall(ranked, judged, 100);
            mrr += RetrievalMetrics.reciprocalRank(ranked, judged, 10);
        }
        int n = data.queries().size();
        System.out.printf("%-36s nDCG@10 %.4f  R@100 %.4f  MRR@10 %.4f%n", name, ndcg / n, recall / n, mrr / n);
    }
}
