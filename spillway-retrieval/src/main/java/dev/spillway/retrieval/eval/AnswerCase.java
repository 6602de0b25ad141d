package dev.spillway.retrieval.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One question with its reference answer, whose {@code [file#page=N]} citations are the truth.
 * Read from JSONL lines {@code {"question": ..., "truth": ...}}. Immutable.
 */
public record AnswerCase(String question, String truth) {
    public static List<AnswerCase> load(Path file) {
        List<AnswerCase> out = new ArrayList<>();
        for (JsonNode n : BeirDataset.readJsonLines(file)) {
            String q = n.path("question").asText("");
            String t = n.path("truth").asText("");
            if (q.isBlank() || t.isBlank()) {
                throw new IllegalArgumentException(file + ": every line needs non-empty 'question' and 'truth'");
            }
            out.add(new AnswerCase(q, t));
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no questions");
        return List.copyOf(out);
    }
}
