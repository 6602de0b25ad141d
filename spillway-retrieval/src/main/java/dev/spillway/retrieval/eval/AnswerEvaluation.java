package dev.spillway.retrieval.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Asks an {@link AnswerSource} every question of a ground-truth file and scores the answers with
 * {@link AnswerMetrics}. Stateless; the source is called one question at a time.
 */
public final class AnswerEvaluation {
    private AnswerEvaluation() {
    }

    /** How many of the answer's sources count for {@link CaseResult#truthInTop3}. */
    public static final int TOP = 3;

    /**
     * One question's outcome; {@code truthInTop3}: one of the first {@value #TOP} sources the answer
     * was given is a page the truth cites; {@code groundedness} is empty when the answer had nothing
     * to score.
     */
    public record CaseResult(AnswerCase question, String answer, boolean cited, boolean citationMatched,
                             boolean truthInTop3, OptionalDouble groundedness) {
    }

    /**
     * The averages: citation accuracy, truth in the top 3 sources and the share of answers citing
     * anything over all questions; groundedness over the answers that had sentences to score.
     */
    public record Report(List<CaseResult> cases, double citationAccuracy, double top3Accuracy, double anyCitation,
                         double groundedness, int groundednessScored) {
    }

    public static Report run(List<AnswerCase> cases, AnswerSource source) {
        List<CaseResult> results = new ArrayList<>();
        for (AnswerCase c : cases) {
            AnswerSource.Answer a = source.answer(c.question());
            results.add(new CaseResult(c, a.text(), !Citations.in(a.text()).isEmpty(),
                    AnswerMetrics.citationMatch(a.text(), c.truth()) == 1, truthInTop(a, c),
                    AnswerMetrics.groundedness(a.text(), a.sources())));
        }
        return summarize(results);
    }

    private static boolean truthInTop(AnswerSource.Answer answer, AnswerCase c) {
        var truth = Citations.in(c.truth());
        return answer.sources().stream().limit(TOP).anyMatch(h -> truth.contains(Citations.normalize(h.citation())));
    }

    static Report summarize(List<CaseResult> results) {
        double matched = results.stream().filter(CaseResult::citationMatched).count();
        double cited = results.stream().filter(CaseResult::cited).count();
        double top = results.stream().filter(CaseResult::truthInTop3).count();
        List<Double> grounded = results.stream().map(CaseResult::groundedness)
                .filter(OptionalDouble::isPresent).map(OptionalDouble::getAsDouble).toList();
        double g = grounded.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        int n = Math.max(1, results.size());
        return new Report(List.copyOf(results), matched / n, top / n, cited / n, g, grounded.size());
    }
}
