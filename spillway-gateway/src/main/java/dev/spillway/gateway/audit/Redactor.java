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

    /**
     * One named rule; {@code valid} filters regex hits (the Luhn check for cards). {@code mayMatch}
     * is a cheap test on the whole text that is false only when the pattern cannot match (no
     * {@code @}, no {@code sk-}): the regex scan, most of the audit thread's work, is skipped then.
     */
    public record Rule(String name, Pattern pattern, Predicate<CharSequence> valid, Predicate<CharSequence> mayMatch) {
        public Rule(String name, Pattern pattern, Predicate<CharSequence> valid) {
            this(name, pattern, valid, text -> true);
        }
    }

    /** A match to replace, in the coordinates of the text it was found in. */
    record Hit(int start, int end, String rule) {}

    private final List<Rule> rules;

    public Redactor(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static List<Rule> defaultRules() {
        return List.of(
                new Rule("api-key", Pattern.compile("\\bsk-(?:spw-|proj-|ant-)?[A-Za-z0-9_\\-]{16,512}"), s -> true,
                        s -> contains(s, "sk-")),
                new Rule("bearer", Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/\\-]{16,1000}=*"), s -> true,
                        s -> containsIgnoreCase(s, "bearer")),
                new Rule("email", Pattern.compile(
                        "[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9\\-]{1,63}(?:\\.[A-Za-z0-9\\-]{1,63}){0,8}\\.[A-Za-z]{2,24}"), s -> true,
                        s -> contains(s, "@")),
                new Rule("card", Pattern.compile("(?<![0-9])[0-9](?:[ \\-]?[0-9]){12,18}(?![0-9])"), Redactor::luhn,
                        s -> longestDigitRun(s) >= 13));
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
            if (!r.mayMatch().test(text)) continue;
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
        if (cut == 0) return 0;
        for (Rule r : rules) {
            if (!r.mayMatch().test(text)) continue;
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

    static boolean contains(CharSequence text, String needle) {
        return indexOf(text, needle, false) >= 0;
    }

    static boolean containsIgnoreCase(CharSequence text, String needle) {
        return indexOf(text, needle, true) >= 0;
    }

    private static int indexOf(CharSequence text, String needle, boolean ignoreCase) {
        char first = needle.charAt(0);
        for (int i = 0, last = text.length() - needle.length(); i <= last; i++) {
            char c = text.charAt(i);
            if (c != first && !(ignoreCase && Character.toLowerCase(c) == first)) continue;
            int j = 1;
            while (j < needle.length() && (text.charAt(i + j) == needle.charAt(j)
                    || ignoreCase && Character.toLowerCase(text.charAt(i + j)) == needle.charAt(j))) {
                j++;
            }
            if (j == needle.length()) return i;
        }
        return -1;
    }

    /**
     * The most digits in one run where single spaces or hyphens may stand between digits: what
     * the card pattern needs 13 of. JSON ids and timestamps have many digits, but not in one run.
     */
    static int longestDigitRun(CharSequence text) {
        int longest = 0;
        int run = 0;
        boolean afterSeparator = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                longest = Math.max(longest, ++run);
                afterSeparator = false;
            } else if ((c == ' ' || c == '-') && run > 0 && !afterSeparator) {
                afterSeparator = true;
            } else {
                run = 0;
                afterSeparator = false;
            }
        }
        return longest;
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
