package dev.spillway.retrieval.eval;

import dev.spillway.retrieval.ContentWords;
import dev.spillway.retrieval.Hit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deterministic answer metrics, no judge model needed. Citation accuracy: the answer cites at
 * least one of the reference answer's {@code file#page=N} citations. Groundedness: the share of
 * answer sentences of which at least {@value #GROUNDED_SHARE} of the content words (English
 * stemmed, stop words removed) occur in the chunks the answer cites. An answer that declines
 * ("I don't know") is not scored for groundedness. Thread-safe.
 */
public final class AnswerMetrics {
    static final double GROUNDED_SHARE = 0.6;
    private static final java.util.regex.Pattern DECLINES = java.util.regex.Pattern.compile(
            "(?i)\\b(i don'?t know|i do not know|i cannot answer|i can'?t answer|no information)\\b");

    private AnswerMetrics() {
    }

    /** 1 when the answer cites any citation of the reference answer, else 0. */
    public static double citationMatch(String answer, String truth) {
        Set<String> cited = Citations.in(answer);
        return Citations.in(truth).stream().anyMatch(cited::contains) ? 1 : 0;
    }

    /**
     * Share of grounded sentences, or empty when the answer declines or has no sentence with
     * content words. An answer that cites nothing is grounded nowhere.
     */
    public static java.util.OptionalDouble groundedness(String answer, List<Hit> sources) {
        if (DECLINES.matcher(answer).find()) return java.util.OptionalDouble.empty();
        Set<String> support = new HashSet<>();
        Set<String> cited = Citations.in(answer);
        for (Hit h : sources) {
            if (cited.contains(Citations.normalize(h.citation())) || cited.contains(Citations.normalize(h.source()))) {
                support.addAll(ContentWords.of(h.section() + " " + h.text()));
            }
        }
        int scored = 0, grounded = 0;
        for (String sentence : sentences(Citations.strip(answer))) {
            List<String> words = ContentWords.of(sentence);
            if (words.isEmpty()) continue;
            scored++;
            long found = words.stream().filter(support::contains).count();
            if (found >= GROUNDED_SHARE * words.size()) grounded++;
        }
        return scored == 0 ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of((double) grounded / scored);
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split("(?<=[.!?])\\s+|\\n+")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }
}
