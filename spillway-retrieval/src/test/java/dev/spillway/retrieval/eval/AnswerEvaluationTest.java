package dev.spillway.retrieval.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.retrieval.Hit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerEvaluationTest {
    static final Hit BALANCE = new Hit("s#1", "Standard.pdf", 7, "", "Balance billing protection shields employees from "
            + "unexpected costs when they visit in-network providers.", 0.5, "Standard.pdf#page=7");
    static final Hit GYM = new Hit("p#0", "PerksPlus.pdf", 3, "", "PerksPlus reimburses gym memberships up to 1000 dollars.",
            0.4, "PerksPlus.pdf#page=3");

    /** Answers from a fixed table, as a fake chat orchestrator would. */
    record FakeAnswers(Map<String, AnswerSource.Answer> answers) implements AnswerSource {
        @Override
        public Answer answer(String question) {
            return answers.get(question);
        }
    }

    @Test
    void citationAccuracyIsTheShareOfAnswersCitingTheTruthsPage() {
        List<AnswerCase> cases = List.of(
                new AnswerCase("q1", "Yes, it protects you. [Standard.pdf#page=7]"),
                new AnswerCase("q2", "Up to 1000 dollars. [PerksPlus.pdf#page=3]"),
                new AnswerCase("q3", "Fifteen days. [Handbook.pdf#page=2]"));
        FakeAnswers source = new FakeAnswers(Map.of(
                "q1", new AnswerSource.Answer("Employees are shielded from unexpected costs [standard.pdf#page=7].", List.of(BALANCE)),
                "q2", new AnswerSource.Answer("PerksPlus reimburses gym memberships [PerksPlus.pdf#page=4].", List.of(GYM)),
                "q3", new AnswerSource.Answer("I don't know.", List.of())));
        AnswerEvaluation.Report report = AnswerEvaluation.run(cases, source);
        assertThat(report.citationAccuracy()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(report.anyCitation()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(report.cases()).extracting(AnswerEvaluation.CaseResult::citationMatched).containsExactly(true, false, false);
    }

    @Test
    void top3AccuracyIsTheShareOfQuestionsWithTheTruthsPageAmongTheFirstThreeSources() {
        Hit other = new Hit("o#0", "Other.pdf", 1, "", "Unrelated.", 0.3, "Other.pdf#page=1");
        List<AnswerCase> cases = List.of(
                new AnswerCase("q1", "Up to 1000 dollars. [PerksPlus.pdf#page=3]"),
                new AnswerCase("q2", "Up to 1000 dollars. [PerksPlus.pdf#page=3]"));
        FakeAnswers source = new FakeAnswers(Map.of(
                "q1", new AnswerSource.Answer("I don't know.", List.of(other, BALANCE, GYM)),
                "q2", new AnswerSource.Answer("I don't know.", List.of(other, other, BALANCE, GYM))));
        AnswerEvaluation.Report report = AnswerEvaluation.run(cases, source);
        assertThat(report.cases()).extracting(AnswerEvaluation.CaseResult::truthInTop3).containsExactly(true, false);
        assertThat(report.top3Accuracy()).isEqualTo(0.5);
        assertThat(report.citationAccuracy()).isZero();
    }

    @Test
    void groundednessCountsSentencesSupportedByTheCitedChunks() {
        String answer = "Balance billing protection shields employees from unexpected costs [Standard.pdf#page=7]. "
                + "It also covers cosmetic surgery on the moon.";
        assertThat(AnswerMetrics.groundedness(answer, List.of(BALANCE))).hasValue(0.5);
    }

    @Test
    void onlyCitedChunksCountAsSupport() {
        String answer = "PerksPlus reimburses gym memberships [Standard.pdf#page=7].";
        assertThat(AnswerMetrics.groundedness(answer, List.of(BALANCE, GYM))).hasValue(0.0);
        assertThat(AnswerMetrics.groundedness("PerksPlus reimburses gym memberships.", List.of(GYM))).hasValue(0.0);
    }

    @Test
    void inflectedWordsMatchTheirStems() {
        String answer = "PerksPlus reimbursed a gym membership [PerksPlus.pdf#page=3].";
        assertThat(AnswerMetrics.groundedness(answer, List.of(GYM))).hasValue(1.0);
    }

    @Test
    void anAnswerThatDeclinesOrHasNoContentWordsIsNotScored() {
        assertThat(AnswerMetrics.groundedness("I don't know.", List.of())).isEmpty();
        assertThat(AnswerMetrics.groundedness("It is.", List.of())).isEmpty();
    }

    @Test
    void citationsAreFoundNormalisedAndBracketedNumbersAreIgnored() {
        assertThat(Citations.in("See [A.pdf#page=2] and [b.md #setup, C.txt] but not [1] or [sic]."))
                .containsExactly("a.pdf#page=2", "b.md#setup", "c.txt");
    }
}
