package dev.spillway.simulator.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SourceParserTest {
    @Test
    void bracketedLinesAreSourcesAndContinuationLinesJoinThem() {
        String text = """
                Answer from these sources only.
                [benefits.pdf#page=3]: Employees get 25 days of paid leave.
                Leave carries over up to 5 days.

                [handbook.md]: The office opens at 8am.""";
        assertThat(SourceParser.parse(text)).containsExactly(
                new Source("benefits.pdf#page=3", "Employees get 25 days of paid leave. Leave carries over up to 5 days."),
                new Source("handbook.md", "The office opens at 8am."));
        assertThat(SourceParser.withoutSources(text)).isEqualTo("Answer from these sources only.");
    }

    @Test
    void sourcesBlockListsNamedSources() {
        String text = """
                How many leave days do I get?

                Sources:
                info1.txt: Employees get 25 days of paid leave.
                plan.pdf#page=2: The plan covers dental care.""";
        assertThat(SourceParser.parse(text)).extracting(Source::citation).containsExactly("info1.txt", "plan.pdf#page=2");
        assertThat(SourceParser.withoutSources(text)).isEqualTo("How many leave days do I get?");
    }

    @Test
    void textWithoutSourcesHasNone() {
        assertThat(SourceParser.parse("Just a question: what time is it?")).isEmpty();
    }

    @Test
    void extractiveAnswerCitesTheMostRelevantSentences() {
        var sources = SourceParser.parse("""
                [benefits.pdf#page=3]: Employees get 25 days of paid leave. The gym is free.
                [dental.pdf#page=1]: The plan covers dental care twice a year.""");
        String answer = ExtractiveAnswerer.answer(sources, "Does the plan cover dental care?");
        assertThat(answer).startsWith("The plan covers dental care twice a year. [dental.pdf#page=1]");
        assertThat(answer).doesNotContain("gym");
    }

    @Test
    void aMisspeltQuestionWordMatchesTheSourcesSpelling() {
        var sources = SourceParser.parse("""
                [plan.pdf#page=7]: The plan covers preventive care services.
                [plan.pdf#page=30]: Hearing tests and hearing aids are covered.""");
        String answer = ExtractiveAnswerer.answer(sources, "What typs of hearin care servises are covered?");
        assertThat(answer).startsWith("Hearing tests and hearing aids are covered. [plan.pdf#page=30]");
        assertThat(ExtractiveAnswerer.withSpellings(List.of("hearin", "gendr", "care"), Set.of("hearing", "gender", "care")))
                .containsExactlyInAnyOrder("hearing", "gender", "care");
        assertThat(ExtractiveAnswerer.withSpellings(List.of("cure"), Set.of("care"))).containsExactly("cure");
    }

    @Test
    void questionUnrelatedToSourcesGetsNoAnswer() {
        var sources = SourceParser.parse("[a.txt]: Apples are red.");
        assertThat(ExtractiveAnswerer.answer(sources, "Who won the match?")).isEqualTo(ExtractiveAnswerer.NO_ANSWER);
    }
}
