package dev.spillway.gateway.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The redaction rules applied to audit bodies before they touch disk: API keys (OpenAI
 * {@code sk-...}, Spillway {@code sk-spw-...}), bearer tokens, e-mail addresses and card numbers
 * (Luhn-checked) by default, plus configured patterns. A match is replaced by
 * {@code [REDACTED:<rule>]}. Matches longer than {@link #MAX_MATCH} characters are not
 * guaranteed to be caught across chunk boundaries (see {@link StreamingRedactor}). Immutable,
 * thread-safe.
 */
public final class Redactor {
    /** The longest match the streaming redactor keeps in view across chunks. */
    public static final int MAX_MATCH = 1024;

    /** One named rule; {@code valid} filters regex hits (the Luhn check for cards). */
    public record Rule(String name, Pattern pattern, Predicate<CharSequence> valid) {}

    /** A match to replace, in the coordinates of the text it was found in. */
    record Hit(int start, int end, String rule) {}

    private final List<Rule> rules;

    public Redactor(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static List<Rule> defaultRules() {
        return List.of(
                new Rule("api-key", Pattern.compile("\\bsk-(?:spw-|proj-|ant-)?[A-Za-z0-9_\\-]{16,512}"), s -> true),
                new Rule("bearer", Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/\\-]{16,1000}=*"), s -> true),
                new Rule("email", Pattern.compile(
                        "[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9\\-]{1,63}(?:\\.[A-Za-z0-9\\-]{1,63}){0,8}\\.[A-Za-z]{2,24}"), s -> true),
                new Rule("card", Pattern.compile("(?<![0-9])[0-9](?:[ \\-]?[0-9]){12,18}(?![0-9])"), Redactor::luhn));
    }

    /** A custom rule from config: {@code {name: ticket, pattern: "TICKET-[0-9]+"}}. */
    public static Rule custom(String name, String regex) {
        return new Rule(name, Pattern.compile(regex), s -> true);
    }

    public String redact(String text) {
        StringBuilder out = new StringBuilder(text.length());
        apply(text, hits(text), text.length(), out);
        return out.toString();
    }

    /** Non-overlapping hits sorted by start (earlier, then longer, wins); includes unvalidated ones if asked. */
    List<Hit> hits(CharSequence text) {
        List<Hit> all = new ArrayList<>();
        for (Rule r : rules) {
            Matcher m = r.pattern().matcher(text);
            while (m.find()) {
                if (m.end() > m.start() && r.valid().test(text.subSequence(m.start(), m.end()))) {
                    all.add(new Hit(m.start(), m.end(), r.name()));
                }
            }
        }
        all.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start()) : Integer.compare(b.end(), a.end()));
        List<Hit> kept = new ArrayList<>();
        int covered = 0;
        for (Hit h : all) {
            if (h.start() >= covered) {
                kept.add(h);
                covered = h.end();
            }
        }
        return kept;
    }

    /** Any regex match at all (validated or not) that starts before {@code cut} and ends after it. */
    int earliestStraddling(CharSequence text, int cut) {
        int earliest = cut;
        for (Rule r : rules) {
            Matcher m = r.pattern().matcher(text);
            while (m.find() && m.start() < cut) {
                if (m.end() > cut) earliest = Math.min(earliest, m.start());
            }
        }
        return earliest;
    }

    /** Appends {@code text[0, upTo)} with every hit inside it replaced. */
    static void apply(CharSequence text, List<Hit> hits, int upTo, StringBuilder out) {
        int at = 0;
        for (Hit h : hits) {
            if (h.end() > upTo) break;
            out.append(text, at, h.start()).append("[REDACTED:").append(h.rule()).append(']');
            at = h.end();
        }
        out.append(text, at, upTo);
    }

    static boolean luhn(CharSequence candidate) {
        int sum = 0;
        int digits = 0;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') continue;
            int d = c - '0';
            if (digits++ % 2 == 1) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }
}
