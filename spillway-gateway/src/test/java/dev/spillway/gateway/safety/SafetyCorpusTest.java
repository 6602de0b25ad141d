package dev.spillway.gateway.safety;

import static dev.spillway.gateway.safety.SafetyFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.redact.Redactor;
import dev.spillway.gateway.redact.StreamingRedactor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Measures the built-in checks on the labelled corpus written for the project
 * ({@code src/test/resources/safety}): precision and recall per check, the false-positive rate on
 * benign prompts, and leaks when every PII string is split at every position of a stream. The
 * numbers printed here are the ones docs/safety.md reports.
 */
class SafetyCorpusTest {
    record Row(String label, String role, String text) {
    }

    static List<String[]> tsv(String name) throws IOException {
        try (InputStream in = SafetyCorpusTest.class.getResourceAsStream("/safety/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> Arrays.stream(l.split("\t")).map(SafetyCorpusTest::unescape).toArray(String[]::new))
                    .toList();
        }
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\u200b", "\u200b");
    }

    /** Flagged counts per label, with the benign prompts flagged and the attacks missed. */
    record Scored(Map<String, int[]> byLabel, List<String> falsePositives, List<String> missed) {
        int benign() { return byLabel.get("benign")[0]; }
        int falsePositiveCount() { return byLabel.get("benign")[1]; }
        int attacks() { return byLabel.entrySet().stream().filter(e -> !e.getKey().equals("benign")).mapToInt(e -> e.getValue()[0]).sum(); }
        int caught() { return byLabel.entrySet().stream().filter(e -> !e.getKey().equals("benign")).mapToInt(e -> e.getValue()[1]).sum(); }
        double recall() { return caught() / (double) attacks(); }
        double falsePositiveRate() { return falsePositiveCount() / (double) benign(); }
    }

    static Scored score(String file) throws IOException {
        Guard guard = new Guard(config("    - {name: g, input: {injection: annotate}}\n").guards().get(0));
        Scored scored = new Scored(new TreeMap<>(), new ArrayList<>(), new ArrayList<>());
        for (String[] r : tsv(file)) {
            Row row = new Row(r[0], r[1], r[2]);
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putArray("messages").addObject().put("role", row.role()).put("content", row.text());
            boolean flagged = !guard.scanInput(Operation.CHAT_COMPLETIONS, body).isEmpty();
            int[] counts = scored.byLabel().computeIfAbsent(row.label(), k -> new int[2]);
            counts[0]++;
            if (flagged) counts[1]++;
            if (flagged && row.label().equals("benign")) scored.falsePositives().add(row.text());
            if (!flagged && !row.label().equals("benign")) scored.missed().add(row.label() + ": " + row.text());
        }
        for (Map.Entry<String, int[]> e : scored.byLabel().entrySet()) {
            System.out.printf("%s: %-9s %3d of %3d flagged%n", file, e.getKey(), e.getValue()[1], e.getValue()[0]);
        }
        System.out.printf("%s: %d prompts; precision %.3f, recall %.3f, benign flagged %d of %d (%.2f %%)%n", file,
                scored.benign() + scored.attacks(), scored.caught() / (double) (scored.caught() + scored.falsePositiveCount()),
                scored.recall(), scored.falsePositiveCount(), scored.benign(), 100 * scored.falsePositiveRate());
        scored.falsePositives().forEach(t -> System.out.println(file + ": false positive: " + t));
        scored.missed().forEach(t -> System.out.println(file + ": missed " + t));
        return scored;
    }

    @Test
    void theInjectionScorerCatchesAttacksAndFlagsAtMostTwoPercentOfBenignPrompts() throws Exception {
        Scored corpus = score("prompts.tsv");
        assertThat(corpus.benign() + corpus.attacks()).isGreaterThanOrEqualTo(300);
        assertThat(corpus.falsePositiveRate()).isLessThanOrEqualTo(0.02);
        assertThat(corpus.recall()).isGreaterThanOrEqualTo(0.9);
    }

    /** The held-out prompts were written after tuning and never tuned on: the honest estimate. */
    @Test
    void onHeldOutPromptsTheScorerStillCatchesMostAttacks() throws Exception {
        Scored holdout = score("prompts-holdout.tsv");
        assertThat(holdout.recall()).isGreaterThanOrEqualTo(0.6);
        assertThat(holdout.falsePositiveRate()).isLessThanOrEqualTo(0.1);
    }

    /** Precision and recall of the detectors over {@code file}, printed per rule. */
    static double[] detect(String file) throws IOException {
        Guard guard = new Guard(config("    - {name: g, output: {pii: redact, secrets: redact}}\n").guards().get(0));
        Map<String, int[]> perRule = new TreeMap<>(); // tp, fp, fn
        List<String[]> rows = tsv(file);
        List<String> misses = new ArrayList<>();
        for (String[] r : rows) {
            Set<String> expected = r[0].equals("-") ? Set.of() : Set.of(r[0].split(","));
            List<Finding> found = new ArrayList<>();
            guard.scanOutputText(r[1], found);
            Set<String> got = found.stream().map(Finding::rule).collect(Collectors.toCollection(TreeSet::new));
            for (String rule : got) perRule.computeIfAbsent(rule, k -> new int[3])[expected.contains(rule) ? 0 : 1]++;
            for (String rule : expected) if (!got.contains(rule)) perRule.computeIfAbsent(rule, k -> new int[3])[2]++;
            if (!got.equals(new TreeSet<>(expected))) misses.add(r[0] + " -> " + got + ": " + r[1]);
        }
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (Map.Entry<String, int[]> e : perRule.entrySet()) {
            int[] c = e.getValue();
            tp += c[0];
            fp += c[1];
            fn += c[2];
            System.out.printf("%s: %-13s tp %3d fp %2d fn %2d precision %.3f recall %.3f%n", file, e.getKey(), c[0], c[1],
                    c[2], c[0] / (double) Math.max(1, c[0] + c[1]), c[0] / (double) Math.max(1, c[0] + c[2]));
        }
        double precision = tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        System.out.printf("%s: %d strings; precision %.3f, recall %.3f%n", file, rows.size(), precision, recall);
        misses.forEach(m -> System.out.println(file + ": mismatch: " + m));
        return new double[] {rows.size(), precision, recall};
    }

    @Test
    void theDetectorsFindThePersonalDataAndSecretsTheCorpusLabels() throws Exception {
        double[] corpus = detect("pii.tsv");
        assertThat(corpus[0]).isGreaterThanOrEqualTo(300);
        assertThat(corpus[1]).isGreaterThanOrEqualTo(0.95);
        assertThat(corpus[2]).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void onHeldOutStringsTheDetectorsStillFindMostPersonalData() throws Exception {
        double[] holdout = detect("pii-holdout.tsv");
        assertThat(holdout[1]).isGreaterThanOrEqualTo(0.8);
        assertThat(holdout[2]).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void noCorpusStringLeaksWhenAStreamSplitsItAtAnyPosition() throws Exception {
        Guard guard = new Guard(config("    - {name: g, output: {pii: redact, secrets: redact}}\n").guards().get(0));
        Redactor whole = new Redactor(rules(guard));
        int cases = 0;
        List<String> leaks = new ArrayList<>();
        for (String[] r : tsv("pii.tsv")) {
            String text = "Answer: " + r[1] + " End.";
            String expected = whole.redact(text);
            for (int at = 1; at < text.length(); at++) {
                StreamingRedactor stream = guard.outputStream(f -> { });
                String seen = stream.feed(text.substring(0, at)) + stream.feed(text.substring(at)) + stream.finishText();
                cases++;
                if (!seen.equals(expected)) leaks.add(at + ": " + r[1]);
            }
        }
        System.out.printf("pii corpus: %d split cases streamed, %d leaks%n", cases, leaks.size());
        assertThat(leaks).isEmpty();
    }

    private static List<Redactor.Rule> rules(Guard guard) {
        List<Redactor.Rule> all = new ArrayList<>(dev.spillway.gateway.redact.Detectors.secrets());
        all.addAll(dev.spillway.gateway.redact.Detectors.pii());
        return all;
    }
}
