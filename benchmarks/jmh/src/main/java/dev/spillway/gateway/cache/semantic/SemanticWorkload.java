package dev.spillway.gateway.cache.semantic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.retrieval.embed.LocalEmbedder;
import dev.spillway.retrieval.embed.LocalModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The semantic cache's hit and false-hit rates per threshold on the labelled workload of
 * {@code benchmarks/semantic} (its README says how the 100 lookups are built). Each lookup's best
 * match is found once with threshold 0 in one partition, as the gateway's index finds it; a
 * threshold then decides which of them would be served. Run from the repository root:
 * {@code java -cp benchmarks/jmh/target/benchmarks.jar dev.spillway.gateway.cache.semantic.SemanticWorkload
 * ../shared/rag-eval [model]}.
 */
public final class SemanticWorkload {
    private record Lookup(String kind, String id, String text, Set<String> right) {
    }

    private record Outcome(Lookup lookup, Optional<String> match, double similarity) {
    }

    private SemanticWorkload() {
    }

    public static void main(String[] args) throws IOException {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/rag-eval");
        String modelId = args.length > 1 ? args[1] : "all-minilm-l6-v2-q";
        LocalEmbedder model = LocalEmbedder.load(LocalModel.byId(modelId).orElseThrow(),
                Path.of(System.getProperty("java.io.tmpdir"), "spillway-jmh-models"), Runnable::run, 256);
        List<Outcome> outcomes = run(lookups(shared), model);
        System.out.printf("model %s, %d lookups%n", model.modelId(), outcomes.size());
        System.out.println("| threshold | paraphrase hit rate | near-miss false hits | base-question false hits | false-hit rate (all that should miss) |");
        System.out.println("|---|---|---|---|---|");
        for (double t : new double[] {0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.985, 0.99, 0.995}) row(outcomes, t);
        outcomes.stream().filter(o -> !o.lookup().kind().equals("base") || o.similarity() >= 0.8)
                .forEach(o -> System.out.printf("%-10s %.3f %-14s %s%n", o.lookup().kind(), o.similarity(),
                        o.match().orElse("-"), o.lookup().text()));
    }

    private static void row(List<Outcome> outcomes, double t) {
        int paraphrases = 0;
        int rightHits = 0;
        int nearMisses = 0;
        int nearHits = 0;
        int bases = 0;
        int baseHits = 0;
        int wrongParaphraseHits = 0;
        for (Outcome o : outcomes) {
            boolean hit = o.match().isPresent() && o.similarity() >= t;
            boolean right = hit && o.lookup().right().contains(o.match().get());
            switch (o.lookup().kind()) {
                case "paraphrase" -> {
                    paraphrases++;
                    if (right) rightHits++;
                    else if (hit) wrongParaphraseHits++;
                }
                case "near-miss" -> {
                    nearMisses++;
                    if (hit) nearHits++;
                }
                default -> {
                    if (o.match().isEmpty()) continue;
                    bases++;
                    if (hit && !right) baseHits++;
                }
            }
        }
        int shouldMiss = nearMisses + bases;
        System.out.printf("| %.3f | %d/%d = %.0f %% | %d/%d | %d/%d | %.1f %% |%n", t, rightHits, paraphrases,
                100.0 * rightHits / paraphrases, nearHits, nearMisses, baseHits, bases,
                100.0 * (nearHits + baseHits + wrongParaphraseHits) / shouldMiss);
    }

    /** Base questions in order (each looked up, then added), then paraphrases and near-misses. */
    private static List<Lookup> lookups(Path shared) throws IOException {
        Map<String, String> base = new LinkedHashMap<>();
        List<String> azure = Files.readAllLines(shared.resolve("azure-demo/ground_truth.jsonl"));
        for (int i = 0; i < azure.size(); i++) base.put("azure-demo:" + i, Json.MAPPER.readTree(azure.get(i)).get("question").asText());
        List<String> claims = Files.readAllLines(shared.resolve("scifact/queries-train.jsonl"));
        for (String line : claims.subList(0, 10)) {
            JsonNode q = Json.MAPPER.readTree(line);
            base.put("scifact:" + q.get("_id").asText(), q.get("text").asText());
        }
        List<JsonNode> labels = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("benchmarks/semantic/workload.jsonl"))) labels.add(Json.MAPPER.readTree(line));
        Map<String, String> twin = new LinkedHashMap<>();
        labels.stream().filter(l -> l.get("kind").asText().equals("same-question")).forEach(l -> {
            twin.put(l.get("of").asText(), l.get("also").asText());
            twin.put(l.get("also").asText(), l.get("of").asText());
        });
        List<Lookup> out = new ArrayList<>();
        base.forEach((id, text) -> out.add(new Lookup("base", id, text,
                twin.containsKey(id) ? Set.of(twin.get(id)) : Set.of())));
        for (JsonNode l : labels) {
            String kind = l.get("kind").asText();
            if (kind.equals("same-question")) continue;
            String of = l.get("of").asText();
            if (!base.containsKey(of)) throw new IllegalArgumentException("workload names an unknown question " + of);
            Set<String> right = kind.equals("paraphrase")
                    ? (twin.containsKey(of) ? Set.of(of, twin.get(of)) : Set.of(of)) : Set.of();
            out.add(new Lookup(kind, of, l.get("text").asText(), right));
        }
        return out;
    }

    private static List<Outcome> run(List<Lookup> lookups, LocalEmbedder model) {
        VectorIndex index = new VectorIndex(10_000, 64L << 20, Clock.systemUTC());
        String bucket = SemanticEntry.bucket("p", "gpt-4o", "ctx", model.modelId());
        long expires = System.currentTimeMillis() + 3_600_000;
        List<Outcome> outcomes = new ArrayList<>();
        for (Lookup l : lookups) {
            float[] v = model.embedPassages(List.of(l.text())).getFirst();
            Optional<VectorIndex.Hit> hit = index.nearest(bucket, v, -1);
            outcomes.add(new Outcome(l, hit.map(VectorIndex.Hit::request), hit.map(VectorIndex.Hit::similarity).orElse(-1.0)));
            if (l.kind().equals("base")) {
                index.put(new SemanticEntry("bench", "p", l.id(), "gpt-4o", "ctx", model.modelId(), v, expires));
            }
        }
        index.close();
        return outcomes;
    }
}
