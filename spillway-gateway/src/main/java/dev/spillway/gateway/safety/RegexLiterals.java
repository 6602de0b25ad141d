package dev.spillway.gateway.safety;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads from a regular expression the literal strings every match must contain, as a list of
 * any-of sets (a match contains at least one string of each set): {@code \bignore (?:the |your )?rules?}
 * requires {@code [{"ignore "}, {"rule"}]}. Sound, not complete: whatever it does not understand
 * adds no requirement ({@code (?i:…)}, character classes), and a pattern it cannot read (flags for
 * the rest of the pattern, {@code \Q}, Unicode escapes) always runs. Used by {@link SignalIndex}
 * to skip regexes that cannot match. Stateless.
 */
final class RegexLiterals {
    private static final Pattern WHOLE_PATTERN_FLAGS = Pattern.compile("\\(\\?[a-zA-Z-]*\\)");
    private final String regex;
    private int at;

    private RegexLiterals(String regex) {
        this.regex = regex;
    }

    /** The required any-of sets of {@code regex}; empty when nothing is certain. */
    static List<Set<String>> required(String regex) {
        if (WHOLE_PATTERN_FLAGS.matcher(regex).find() || regex.contains("\\Q") || regex.contains("\\u")
                || regex.contains("\\x")) {
            return List.of();
        }
        try {
            RegexLiterals parser = new RegexLiterals(regex);
            List<Set<String>> sets = parser.alternation();
            return parser.at == regex.length() ? sets : List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** {@code a|b|c}: one set, the union of each branch's most selective set (none if a branch has none). */
    private List<Set<String>> alternation() {
        List<List<Set<String>>> branches = new ArrayList<>();
        branches.add(sequence());
        while (at < regex.length() && regex.charAt(at) == '|') {
            at++;
            branches.add(sequence());
        }
        if (branches.size() == 1) return branches.get(0);
        Set<String> union = new LinkedHashSet<>();
        for (List<Set<String>> b : branches) {
            if (b.isEmpty()) return List.of();
            union.addAll(best(b));
        }
        return List.of(union);
    }

    /** Consecutive unquantified literal characters form one string; every other atom adds its own sets. */
    private List<Set<String>> sequence() {
        List<Set<String>> sets = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        while (at < regex.length() && regex.charAt(at) != '|' && regex.charAt(at) != ')') {
            Atom atom = atom();
            int min = quantifierMin();
            if (atom.literal() != 0 && min == 1 && !quantified) {
                run.append(atom.literal());
                continue;
            }
            flush(run, sets);
            if (min >= 1) {
                if (atom.literal() != 0) sets.add(Set.of(String.valueOf(atom.literal())));
                else sets.addAll(atom.sets());
            }
        }
        flush(run, sets);
        return sets;
    }

    private static void flush(StringBuilder run, List<Set<String>> sets) {
        if (!run.isEmpty()) sets.add(Set.of(run.toString()));
        run.setLength(0);
    }

    /** One atom: a literal character (non-zero) or a group's, class's or anchor's sets. */
    private record Atom(char literal, List<Set<String>> sets) {
        static final Atom NOTHING = new Atom((char) 0, List.of());
    }

    private Atom atom() {
        char c = regex.charAt(at++);
        return switch (c) {
            case '(' -> group();
            case '[' -> charClass();
            case '.', '^', '$' -> Atom.NOTHING;
            case '\\' -> escape();
            case '*', '+', '?', '{' -> throw new IllegalArgumentException("dangling quantifier");
            default -> new Atom(c, List.of());
        };
    }

    private Atom group() {
        boolean lookaround = false;
        if (regex.startsWith("?:", at) || regex.startsWith("?>", at)) {
            at += 2;
        } else if (regex.startsWith("?=", at) || regex.startsWith("?!", at)) {
            at += 2;
            lookaround = true;
        } else if (regex.startsWith("?<=", at) || regex.startsWith("?<!", at)) {
            at += 3;
            lookaround = true;
        } else if (regex.startsWith("?", at) && scopedFlags()) {
            lookaround = true; // (?i:inst): its literals may match in any case, so they prove nothing
        } else if (regex.startsWith("?", at)) {
            throw new IllegalArgumentException("flags or named group");
        }
        List<Set<String>> inner = alternation();
        if (regex.charAt(at++) != ')') throw new IllegalArgumentException("unclosed group");
        return lookaround ? Atom.NOTHING : new Atom((char) 0, inner);
    }

    /** Skips {@code ?flags:} of a group whose flags hold only inside it; false when it is not one. */
    private boolean scopedFlags() {
        int i = at + 1;
        while (i < regex.length() && (Character.isLetter(regex.charAt(i)) || regex.charAt(i) == '-')) i++;
        if (i == at + 1 || i >= regex.length() || regex.charAt(i) != ':') return false;
        at = i + 1;
        return true;
    }

    private Atom charClass() {
        int depth = 1;
        while (depth > 0) {
            char c = regex.charAt(at++);
            if (c == '\\') at++;
            else if (c == '[') depth++;
            else if (c == ']') depth--;
        }
        return Atom.NOTHING;
    }

    private Atom escape() {
        char c = regex.charAt(at++);
        if (c == 'p' || c == 'P') {
            at = regex.indexOf('}', at) + 1;
            return Atom.NOTHING;
        }
        if (Character.isLetterOrDigit(c)) {
            return switch (c) {
                case 'n' -> new Atom('\n', List.of());
                case 't' -> new Atom('\t', List.of());
                case 'b', 'B', 'z', 'Z', 'A', 'G', 'w', 'W', 's', 'S', 'd', 'D', 'h', 'H', 'R', 'X' -> Atom.NOTHING;
                default -> {
                    if (Character.isDigit(c)) yield Atom.NOTHING; // a back-reference
                    throw new IllegalArgumentException("escape \\" + c);
                }
            };
        }
        return new Atom(c, List.of());
    }

    private boolean quantified;

    /** The least repetitions of the quantifier at {@code at} (1 without one); sets {@link #quantified}. */
    private int quantifierMin() {
        quantified = false;
        if (at >= regex.length()) return 1;
        char c = regex.charAt(at);
        int min;
        if (c == '?' || c == '*') {
            min = 0;
            at++;
        } else if (c == '+') {
            min = 1;
            at++;
        } else if (c == '{') {
            int close = regex.indexOf('}', at);
            String body = regex.substring(at + 1, close);
            min = Integer.parseInt(body.contains(",") ? body.substring(0, body.indexOf(',')) : body);
            at = close + 1;
        } else {
            return 1;
        }
        quantified = true;
        if (at < regex.length() && (regex.charAt(at) == '?' || regex.charAt(at) == '+')) at++;
        return min;
    }

    /** The most selective set: the one whose shortest string is longest, then the smallest. */
    static Set<String> best(List<Set<String>> sets) {
        Set<String> best = sets.get(0);
        for (Set<String> s : sets) {
            int a = shortest(s);
            int b = shortest(best);
            if (a > b || a == b && s.size() < best.size()) best = s;
        }
        return best;
    }

    private static int shortest(Set<String> s) {
        return s.stream().mapToInt(String::length).min().orElse(0);
    }
}
