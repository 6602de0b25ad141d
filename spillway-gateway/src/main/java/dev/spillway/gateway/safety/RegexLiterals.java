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
 * the rest of the pattern, {@code \Q}, Unicode escapes) always runs. It also reads the strings every
 * match starts with ({@link #starts}): {@code \b(?:ignore|forget) the} starts with {@code ignore} or
 * {@code forget}. Used by {@link SignalIndex} to skip regexes that cannot match, and to try the
 * others only where a match can start. Stateless.
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
        Read read = read(regex);
        return read == null ? List.of() : read.sets();
    }

    /** Strings one of which every match of {@code regex} starts with; empty when that is not certain. */
    static Set<String> starts(String regex) {
        Read read = read(regex);
        return read == null ? Set.of() : read.starts();
    }

    private static Read read(String regex) {
        if (WHOLE_PATTERN_FLAGS.matcher(regex).find() || regex.contains("\\Q") || regex.contains("\\u")
                || regex.contains("\\x")) {
            return null;
        }
        try {
            RegexLiterals parser = new RegexLiterals(regex);
            Read read = parser.alternation();
            return parser.at == regex.length() ? read : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** What an expression requires ({@code sets}) and starts with ({@code starts}, empty: not known). */
    private record Read(List<Set<String>> sets, Set<String> starts) {}

    /**
     * {@code a|b|c}: one set, the union of each branch's most selective set (none if a branch has
     * none); it starts with what its branches start with (unknown if one branch's start is).
     */
    private Read alternation() {
        List<Read> branches = new ArrayList<>();
        branches.add(sequence());
        while (at < regex.length() && regex.charAt(at) == '|') {
            at++;
            branches.add(sequence());
        }
        if (branches.size() == 1) return branches.get(0);
        Set<String> union = new LinkedHashSet<>();
        Set<String> starts = new LinkedHashSet<>();
        for (Read b : branches) {
            if (b.sets().isEmpty()) union = null;
            else if (union != null) union.addAll(best(b.sets()));
            if (b.starts().isEmpty()) starts = null;
            else if (starts != null) starts.addAll(b.starts());
        }
        return new Read(union == null ? List.of() : List.of(union), starts == null ? Set.of() : starts);
    }

    /**
     * Consecutive unquantified literal characters form one string; every other atom adds its own
     * sets. A match starts with the leading literal characters (zero-width atoms such as {@code \b}
     * aside), or else with what a leading unquantified group starts with.
     */
    private Read sequence() {
        List<Set<String>> sets = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        StringBuilder lead = new StringBuilder();
        Set<String> starts = null;
        while (at < regex.length() && regex.charAt(at) != '|' && regex.charAt(at) != ')') {
            Atom atom = atom();
            int min = quantifierMin();
            if (starts == null && !atom.zeroWidth()) {
                if (atom.literal() != 0 && !quantified) lead.append(atom.literal());
                else starts = !lead.isEmpty() ? Set.of(lead.toString()) : quantified ? Set.of() : atom.starts();
            }
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
        if (starts == null) starts = lead.isEmpty() ? Set.of() : Set.of(lead.toString());
        return new Read(sets, starts);
    }

    private static void flush(StringBuilder run, List<Set<String>> sets) {
        if (!run.isEmpty()) sets.add(Set.of(run.toString()));
        run.setLength(0);
    }

    /**
     * One atom: a literal character (non-zero), or a group's sets and starts; {@code zeroWidth}
     * for anchors and lookarounds, which match no character.
     */
    private record Atom(char literal, List<Set<String>> sets, Set<String> starts, boolean zeroWidth) {
        /** A class, {@code .}, a case-blind group or a back-reference: requires and starts with nothing known. */
        static final Atom NOTHING = new Atom((char) 0, List.of(), Set.of(), false);
        static final Atom ANCHOR = new Atom((char) 0, List.of(), Set.of(), true);

        static Atom literal(char c) {
            return new Atom(c, List.of(), Set.of(), false);
        }
    }

    private Atom atom() {
        char c = regex.charAt(at++);
        return switch (c) {
            case '(' -> group();
            case '[' -> charClass();
            case '.' -> Atom.NOTHING;
            case '^', '$' -> Atom.ANCHOR;
            case '\\' -> escape();
            case '*', '+', '?', '{' -> throw new IllegalArgumentException("dangling quantifier");
            default -> Atom.literal(c);
        };
    }

    private Atom group() {
        Atom unread = null;
        if (regex.startsWith("?:", at) || regex.startsWith("?>", at)) {
            at += 2;
        } else if (regex.startsWith("?=", at) || regex.startsWith("?!", at)) {
            at += 2;
            unread = Atom.ANCHOR;
        } else if (regex.startsWith("?<=", at) || regex.startsWith("?<!", at)) {
            at += 3;
            unread = Atom.ANCHOR;
        } else if (regex.startsWith("?", at) && scopedFlags()) {
            unread = Atom.NOTHING; // (?i:inst): its literals may match in any case, so they prove nothing
        } else if (regex.startsWith("?", at)) {
            throw new IllegalArgumentException("flags or named group");
        }
        Read inner = alternation();
        if (regex.charAt(at++) != ')') throw new IllegalArgumentException("unclosed group");
        return unread != null ? unread : new Atom((char) 0, inner.sets(), inner.starts(), false);
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
                case 'n' -> Atom.literal('\n');
                case 't' -> Atom.literal('\t');
                case 'b', 'B', 'z', 'Z', 'A', 'G' -> Atom.ANCHOR;
                case 'w', 'W', 's', 'S', 'd', 'D', 'h', 'H', 'R', 'X' -> Atom.NOTHING;
                default -> {
                    if (Character.isDigit(c)) yield Atom.NOTHING; // a back-reference
                    throw new IllegalArgumentException("escape \\" + c);
                }
            };
        }
        return Atom.literal(c);
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
