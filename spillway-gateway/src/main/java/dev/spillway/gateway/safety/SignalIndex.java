package dev.spillway.gateway.safety;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells which of many regexes may match a text, in one pass over it, so only those run: each
 * pattern's required literals ({@link RegexLiterals}) are looked for all at once by an
 * Aho-Corasick automaton, and a pattern is a candidate when every one of its required sets has a
 * string in the text. A pattern with no requirement is always a candidate. A candidate whose
 * matches all start with one of a few strings is then tried only where one of them occurs
 * ({@link #find}), instead of at every position of the text. Immutable, thread-safe.
 *
 * <p>Implementation notes: the automaton is a full DFA over the ASCII characters that occur in the
 * literals (any other character leads back to the root); {@code found[state]} lists the literals
 * ending in that state, suffixes included. {@code next} holds each target as its row offset
 * ({@code state * symbols}), complemented when literals end there, so the scan of a text neither
 * multiplies nor looks up {@code found} for the many states where nothing ends. Literals are numbered; a pattern's requirement is one
 * bit mask per set, over the literal numbers.
 */
final class SignalIndex {
    /** Up to this many distinct first characters, looking for them first is cheaper than the scan. */
    private static final int MAX_LEADS = 6;
    private final int[] alphabet = new int[128];
    private final int symbols;
    private final int[] next;
    private final int[][] found;
    private final int literals;
    private final long[][][] requirements;
    private final List<Pattern> patterns;
    private final String[][] starts;
    /**
     * Characters one of which every text a pattern here matches holds, when they are few (each
     * pattern's fewest first characters of a required set or of its starts), else null.
     */
    private final char[] leads;

    SignalIndex(List<Pattern> patterns) {
        this.patterns = List.copyOf(patterns);
        starts = patterns.stream().map(p -> RegexLiterals.starts(p.pattern()).toArray(String[]::new))
                .toArray(String[][]::new);
        Map<String, Integer> numbers = new LinkedHashMap<>();
        requirements = new long[patterns.size()][][];
        List<List<Set<String>>> sets = new ArrayList<>();
        for (Pattern p : patterns) {
            List<Set<String>> req = RegexLiterals.required(p.pattern()).stream()
                    .filter(s -> s.stream().allMatch(SignalIndex::ascii)).toList();
            sets.add(req);
            req.forEach(s -> s.forEach(l -> numbers.putIfAbsent(l, numbers.size())));
        }
        literals = numbers.size();
        leads = leads(sets);
        for (int i = 0; i < patterns.size(); i++) {
            requirements[i] = sets.get(i).stream().map(s -> mask(s, numbers)).toArray(long[][]::new);
        }
        int n = 1;
        for (String l : numbers.keySet()) for (char c : l.toCharArray()) if (alphabet[c] == 0) alphabet[c] = n++;
        symbols = n;
        Trie trie = trie(numbers);
        next = trie.next;
        found = trie.found;
    }

    /** Which patterns, by their index in the constructor's list, may match {@code text}. */
    boolean[] candidates(String text) {
        long[] seen = new long[(literals + 63) / 64];
        int row = 0;
        for (int i = holdsALead(text) ? 0 : text.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            int to = next[row + (c < 128 ? alphabet[c] : 0)];
            if (to >= 0) {
                row = to;
            } else {
                row = ~to;
                for (int l : found[row / symbols]) seen[l >>> 6] |= 1L << l;
            }
        }
        boolean[] candidate = new boolean[requirements.length];
        for (int p = 0; p < requirements.length; p++) candidate[p] = satisfied(requirements[p], seen);
        return candidate;
    }

    private char[] leads(List<List<Set<String>>> sets) {
        Set<Character> all = new java.util.TreeSet<>();
        for (int p = 0; p < sets.size(); p++) {
            List<Set<String>> options = new ArrayList<>(sets.get(p));
            if (starts[p].length > 0) options.add(Set.of(starts[p]));
            Set<Character> fewest = null;
            for (Set<String> o : options) {
                Set<Character> firsts = new java.util.TreeSet<>();
                o.forEach(l -> firsts.add(l.charAt(0)));
                if (fewest == null || firsts.size() < fewest.size()) fewest = firsts;
            }
            if (fewest == null) return null; // a pattern that requires nothing is always a candidate
            all.addAll(fewest);
        }
        if (all.size() > MAX_LEADS) return null;
        char[] chars = new char[all.size()];
        int i = 0;
        for (char c : all) chars[i++] = c;
        return chars;
    }

    /** False only when {@code text} cannot hold a literal: a few {@code indexOf} scans instead of the automaton's. */
    private boolean holdsALead(String text) {
        if (leads == null) return true;
        for (char c : leads) if (text.indexOf(c) >= 0) return true;
        return false;
    }

    /**
     * Whether pattern {@code p} matches in {@code text}, as {@code matcher(text).find()} says:
     * when every match starts with one of a few strings, it is tried only where one of them begins
     * (with transparent bounds, so {@code \b} and lookbehinds still see the text before).
     */
    boolean find(int p, String text) {
        if (starts[p].length == 0) return patterns.get(p).matcher(text).find();
        Matcher m = null;
        for (String start : starts[p]) {
            for (int at = text.indexOf(start); at >= 0; at = text.indexOf(start, at + 1)) {
                if (m == null) m = patterns.get(p).matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
                if (m.region(at, text.length()).lookingAt()) return true;
            }
        }
        return false;
    }

    private static boolean satisfied(long[][] requirement, long[] seen) {
        for (long[] anyOf : requirement) {
            boolean hit = false;
            for (int w = 0; w < anyOf.length && !hit; w++) hit = (anyOf[w] & seen[w]) != 0;
            if (!hit) return false;
        }
        return true;
    }

    private long[] mask(Set<String> set, Map<String, Integer> numbers) {
        long[] m = new long[(literals + 63) / 64];
        for (String l : set) m[numbers.get(l) >>> 6] |= 1L << numbers.get(l);
        return m;
    }

    private record Trie(int[] next, int[][] found) {}

    /** Builds the goto function as a trie, then fills in failure transitions breadth first. */
    private Trie trie(Map<String, Integer> numbers) {
        List<int[]> rows = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        rows.add(new int[symbols]);
        ends.add(new ArrayList<>());
        for (Map.Entry<String, Integer> e : numbers.entrySet()) {
            int state = 0;
            for (char c : e.getKey().toCharArray()) {
                int s = alphabet[c];
                if (rows.get(state)[s] == 0) {
                    rows.get(state)[s] = rows.size();
                    rows.add(new int[symbols]);
                    ends.add(new ArrayList<>());
                }
                state = rows.get(state)[s];
            }
            ends.get(state).add(e.getValue());
        }
        int[] fail = new int[rows.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int s = 1; s < symbols; s++) if (rows.get(0)[s] != 0) queue.add(rows.get(0)[s]);
        while (!queue.isEmpty()) {
            int state = queue.poll();
            ends.get(state).addAll(ends.get(fail[state]));
            for (int s = 1; s < symbols; s++) {
                int child = rows.get(state)[s];
                if (child != 0) {
                    fail[child] = rows.get(fail[state])[s];
                    queue.add(child);
                } else {
                    rows.get(state)[s] = rows.get(fail[state])[s];
                }
            }
        }
        int[][] out = new int[rows.size()][];
        for (int i = 0; i < rows.size(); i++) out[i] = ends.get(i).stream().distinct().mapToInt(Integer::intValue).toArray();
        // Each entry is the target's row offset, complemented (negative) when literals end there.
        int[] table = new int[rows.size() * symbols];
        for (int i = 0; i < table.length; i++) {
            int to = rows.get(i / symbols)[i % symbols];
            table[i] = out[to].length == 0 ? to * symbols : ~(to * symbols);
        }
        return new Trie(table, out);
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c > 0 && c < 128);
    }

    @Override
    public String toString() {
        return "SignalIndex[" + requirements.length + " patterns, " + literals + " literals, " + found.length
                + " states, " + Arrays.stream(requirements).filter(r -> r.length == 0).count() + " always run, "
                + Arrays.stream(starts).filter(s -> s.length > 0).count() + " tried only where they can start"
                + (leads == null ? "" : ", each needs one of " + new String(leads)) + "]";
    }
}
