package dev.spillway.gateway.redact;

import dev.spillway.core.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds and replaces secrets and personal data in text by named rules: the audit log's redaction
 * before bodies touch disk, and the safety checks on live prompts and answers. A match is replaced
 * by {@code [REDACTED:<rule>]}. {@link #defaultRules()} is the audit's set; {@link Detectors} holds
 * the full catalogue. Matches longer than {@link #MAX_MATCH} characters are not guaranteed to be
 * caught across chunk boundaries (see {@link StreamingRedactor}). Immutable, thread-safe.
 */
public final class Redactor {
    /** The longest match the audit's streaming redactor keeps in view across chunks. */
    public static final int MAX_MATCH = 1024;

    /**
     * One named rule; {@code valid} filters regex hits (the Luhn check for cards). {@code mayMatch}
     * is a cheap test on the whole text that is false only when the pattern cannot match (no
     * {@code @}, no {@code sk-}): the regex scan, most of the work, is skipped then. {@code open},
     * when present, matches the unfinished start of a match at the very end of a text ({@code \z}):
     * a stream holds such text back however long it grows (a JWT, a private key block).
     */
    public record Rule(String name, Pattern pattern, Predicate<CharSequence> valid, Predicate<TextFacts> mayMatch,
            Optional<Pattern> open) {
        public Rule(String name, Pattern pattern, Predicate<CharSequence> valid, Predicate<TextFacts> mayMatch) {
            this(name, pattern, valid, mayMatch, Optional.empty());
        }

        public Rule(String name, Pattern pattern, Predicate<CharSequence> valid) {
            this(name, pattern, valid, text -> true);
        }
    }

    /** A match to replace, in the coordinates of the text it was found in. */
    public record Hit(int start, int end, String rule) {}

    private final List<Rule> rules;

    public Redactor(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The audit log's rules: API keys, bearer tokens, e-mail addresses and card numbers (Luhn). */
    public static List<Rule> defaultRules() {
        return List.of(Detectors.API_KEY, Detectors.BEARER, Detectors.EMAIL, Detectors.CARD);
    }

    /** A custom rule from config: {@code {name: ticket, pattern: "TICKET-[0-9]+"}}. */
    public static Rule custom(String name, String regex) {
        return new Rule(name, Pattern.compile(regex), s -> true);
    }

    /** A custom rule read from config, {@code {name, pattern}}; null (and a problem) when invalid. */
    public static Rule custom(ConfigNode n) {
        n.allowOnly("name", "pattern");
        String name = n.requiredString("name");
        String regex = n.requiredString("pattern");
        if (name == null || regex == null) return null;
        try {
            return custom(name, regex);
        } catch (PatternSyntaxException e) {
            n.problem("pattern", "not a valid regular expression: " + e.getDescription());
            return null;
        }
    }

    public String redact(String text) {
        StringBuilder out = new StringBuilder(text.length());
        apply(text, hits(text), text.length(), out);
        return out.toString();
    }

    /** {@code text} with the {@code hits} (from {@link #hits}) that {@code replace} accepts replaced. */
    public static String redact(CharSequence text, List<Hit> hits, Predicate<Hit> replace) {
        StringBuilder out = new StringBuilder(text.length());
        apply(text, hits, text.length(), out, replace);
        return out.toString();
    }

    /** Non-overlapping validated hits sorted by start (earlier, then the rule listed first, then longer, wins). */
    public List<Hit> hits(CharSequence text) {
        List<Hit> all = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        TextFacts facts = new TextFacts(text);
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (!r.mayMatch().test(facts)) continue;
            Matcher m = r.pattern().matcher(text);
            while (m.find()) {
                if (m.end() > m.start() && r.valid().test(text.subSequence(m.start(), m.end()))) {
                    all.add(new Hit(m.start(), m.end(), r.name()));
                    order.add(i);
                }
            }
        }
        // Earlier wins; at the same start the rule listed first (secrets before PII), then the longer.
        Integer[] idx = new Integer[all.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (x, y) -> all.get(x).start() != all.get(y).start()
                ? Integer.compare(all.get(x).start(), all.get(y).start())
                : order.get(x).intValue() != order.get(y).intValue() ? Integer.compare(order.get(x), order.get(y))
                : Integer.compare(all.get(y).end(), all.get(x).end()));
        List<Hit> sorted = new ArrayList<>(idx.length);
        for (Integer i : idx) sorted.add(all.get(i));
        List<Hit> kept = new ArrayList<>();
        int covered = 0;
        for (Hit h : sorted) {
            if (h.start() >= covered) {
                kept.add(h);
                covered = h.end();
            }
        }
        return kept;
    }

    /**
     * The earliest start, before {@code cut}, of any regex match (validated or not) that ends after
     * {@code cut}, or of an unfinished match ({@link Rule#open}) running to the end; else {@code cut}.
     */
    int earliestStraddling(CharSequence text, int cut) {
        int earliest = cut;
        if (cut == 0) return 0;
        TextFacts facts = new TextFacts(text);
        for (Rule r : rules) {
            if (!r.mayMatch().test(facts)) continue;
            Matcher m = r.pattern().matcher(text);
            while (m.find() && m.start() < cut) {
                if (m.end() > cut) earliest = Math.min(earliest, m.start());
            }
            if (r.open().isPresent()) {
                Matcher o = r.open().get().matcher(text);
                if (o.find() && o.start() < cut) earliest = Math.min(earliest, o.start());
            }
        }
        return earliest;
    }

    /** Appends {@code text[0, upTo)} with every hit inside it that {@code replace} accepts replaced. */
    static void apply(CharSequence text, List<Hit> hits, int upTo, StringBuilder out, Predicate<Hit> replace) {
        int at = 0;
        for (Hit h : hits) {
            if (h.end() > upTo) break;
            if (!replace.test(h)) continue;
            out.append(text, at, h.start()).append("[REDACTED:").append(h.rule()).append(']');
            at = h.end();
        }
        out.append(text, at, upTo);
    }

    static void apply(CharSequence text, List<Hit> hits, int upTo, StringBuilder out) {
        apply(text, hits, upTo, out, h -> true);
    }
}
