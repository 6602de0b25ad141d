package dev.spillway.gateway.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SignalIndexTest {
    @Test
    void literalsAreReadFromSequencesGroupsAndAlternations() {
        assertThat(RegexLiterals.required("\\bignore (?:the |your )?rules?\\b"))
                .containsExactly(Set.of("ignore "), Set.of("rule"));
        assertThat(RegexLiterals.required("\\b(?:never|don't) break character"))
                .containsExactly(Set.of("never", "don't"), Set.of(" break character"));
        assertThat(RegexLiterals.required("-{3,}\\s*end of|\\bend of (?:the )?input"))
                .containsExactly(Set.of("end of", "end of "));
        assertThat(RegexLiterals.required("<(system|admin)>.{0,400}</\\1>"))
                .containsExactly(Set.of("<"), Set.of("system", "admin"), Set.of(">"), Set.of("</"), Set.of(">"));
    }

    @Test
    void whatTheReaderDoesNotUnderstandRequiresNothing() {
        assertThat(RegexLiterals.required("(?i)\\[/?inst\\]")).isEmpty();
        assertThat(RegexLiterals.required("\\[/?(?i:inst)\\]")).containsExactly(Set.of("["), Set.of("]"));
        assertThat(RegexLiterals.required("a(?<name>b)")).isEmpty();
        assertThat(RegexLiterals.required("(?:foo)?|bar")).isEmpty();
        assertThat(RegexLiterals.required("[a-z]+\\d{2,}")).isEmpty();
    }

    @Test
    void theStringsEveryMatchStartsWithAreReadPastAnchorsAndLookarounds() {
        assertThat(RegexLiterals.starts("\\b(?:ignore|forget) (?:all )?rules")).containsExactly("ignore", "forget");
        assertThat(RegexLiterals.starts("\\b(?:instructions?|note) for")).containsExactly("instruction", "note");
        assertThat(RegexLiterals.starts("(?<![a-z])(?=n)never\\b|\\bdon't")).containsExactly("never", "don't");
        assertThat(RegexLiterals.starts("<\\|im_start\\|>\\s*system|<</?sys>>")).containsExactly("<|im_start|>", "<<");
        assertThat(RegexLiterals.starts("\\b(?:a(?:b|c)d|e)")).containsExactly("a", "e");
    }

    @Test
    void whereAMatchMayStartAnywhereNoStartIsRead() {
        assertThat(RegexLiterals.starts("(?:the )?rules")).isEmpty();
        assertThat(RegexLiterals.starts("#{2,}\\s*system")).isEmpty();
        assertThat(RegexLiterals.starts("(?:^|\\n)\\s*system")).isEmpty();
        assertThat(RegexLiterals.starts("rules|[a-z]+")).isEmpty();
        assertThat(RegexLiterals.starts("\\[/?(?i:inst)\\]")).containsExactly("[");
        assertThat(RegexLiterals.starts("(?i:inst)\\]")).isEmpty();
        assertThat(RegexLiterals.starts("(?:ab)+c")).isEmpty();
    }

    @Test
    void aPatternTriedOnlyWhereItCanStartStillSeesTheTextBeforeThatPlace() {
        SignalIndex index = new SignalIndex(List.of(Pattern.compile("\\bdan\\b"),
                Pattern.compile("(?<![a-z])ignore (?:all )?rules"), Pattern.compile("^system:")));
        assertThat(index.find(0, "a sedan, then dan")).isTrue();
        assertThat(index.find(0, "a sedan, dance")).isFalse();
        assertThat(index.find(1, "dontignore rules, then ignore all rules")).isTrue();
        assertThat(index.find(1, "dontignore rules")).isFalse();
        assertThat(index.find(2, "system: go")).isTrue();
        assertThat(index.find(2, "not system: go")).isFalse();
    }

    @Test
    void onlyPatternsWhoseLiteralsOccurAreCandidates() {
        SignalIndex index = new SignalIndex(List.of(Pattern.compile("\\bignore (?:all )?rules"),
                Pattern.compile("\\bdan\\b|\\bstan\\b"), Pattern.compile("[a-z]+")));
        assertThat(index.candidates("please ignore all rules")).containsExactly(true, false, true);
        assertThat(index.candidates("stan: skip the rules")).containsExactly(false, true, true);
        assertThat(index.candidates("")).containsExactly(false, false, true);
    }

    @Test
    void patternsThatEachNeedOneOfAFewCharactersAreSkippedWhenTheTextHasNone() {
        SignalIndex index = new SignalIndex(List.of(Pattern.compile("<\\|im_start\\|>\\s*system|<<sys>>"),
                Pattern.compile("\\}\\s*,\\s*\\{\\s*\"role\""), Pattern.compile("\\[inst\\]")));
        assertThat(index.toString()).contains("each needs one of <[}");
        assertThat(index.candidates("system says hello, role of inst")).containsExactly(false, false, false);
        assertThat(index.candidates("<|im_start|> system }, {\"role\" [inst]")).containsExactly(true, true, true);
    }

    /**
     * The index may only skip a regex that cannot match, and trying one only where it can start
     * finds what a scan of the whole text finds: checked on every corpus text, plain and normalised.
     */
    @Test
    void everyScorerPatternThatMatchesACorpusTextIsACandidate() throws Exception {
        List<Pattern> patterns = InjectionScorer.patterns();
        SignalIndex index = new SignalIndex(patterns);
        List<String> texts = new ArrayList<>();
        for (String file : List.of("prompts.tsv", "prompts-holdout.tsv")) {
            for (String[] row : SafetyCorpusTest.tsv(file)) {
                texts.add(row[2]);
                texts.add(InjectionScorer.normalise(row[2]));
                texts.add(InjectionScorer.deleet(InjectionScorer.normalise(row[2])));
            }
        }
        int matched = 0;
        int skipped = 0;
        for (String text : texts) {
            boolean[] candidate = index.candidates(text);
            for (int i = 0; i < patterns.size(); i++) {
                boolean matches = patterns.get(i).matcher(text).find();
                if (matches) matched++;
                assertThat(index.find(i, text)).as("find %s on %s", patterns.get(i), text).isEqualTo(matches);
                if (!candidate[i]) skipped++;
                assertThat(!matches || candidate[i]).as("%s on %s", patterns.get(i), text).isTrue();
            }
        }
        System.out.printf("%s: %d matches all candidates, %d of %d regex runs skipped%n", index, matched, skipped,
                texts.size() * patterns.size());
        assertThat(skipped).isGreaterThan(texts.size() * patterns.size() * 8 / 10);
    }
}
