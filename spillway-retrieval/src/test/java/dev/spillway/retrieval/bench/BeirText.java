package dev.spillway.retrieval.bench;

import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.eval.BeirDataset;
import dev.spillway.retrieval.eval.RetrievalEvaluation;
import dev.spillway.retrieval.index.SearchTuning;
import dev.spillway.retrieval.testing.HashingEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The BM25 leg alone on a BEIR set, in seconds: vectors come from the hashing test embedder, so
 * only the TEXT figures mean anything. For checking a change to the text query or analysis
 * without embedding the corpus. Not a test.
 *
 * <pre>java -cp ... dev.spillway.retrieval.bench.BeirText SCIFACT-DIR</pre>
 */
public final class BeirText {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        BeirDataset data = BeirDataset.load(dir.resolve("corpus.jsonl"), dir.resolve("queries-train.jsonl"),
                dir.resolve("qrels-train.tsv"), 0);
        RetrievalEvaluation eval = new RetrievalEvaluation(data, new HashingEmbedder(), (stage, done, total, item) -> { });
        Path index = Files.createTempDirectory("beir-text");
        eval.index(index);
        for (RetrievalEvaluation.ModeResult r : eval.evaluate(index, SearchTuning.DEFAULTS, List.of(SearchMode.TEXT))) {
            System.out.printf("%s nDCG@10 %.4f R@100 %.4f MRR@10 %.4f (%d queries)%n", r.mode(), r.ndcg10(), r.recall100(),
                    r.mrr10(), r.queries());
        }
    }
}
