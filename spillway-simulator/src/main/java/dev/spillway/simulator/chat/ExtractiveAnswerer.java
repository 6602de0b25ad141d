package dev.spillway.simulator.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answers a question from the sources in the prompt: splits them into sentences, scores each
 * sentence against the question with BM25 (k1 = 1.2, b = 0.75) and joins the best few, each
 * followed by its citation in brackets. Stateless and thread-safe.
 */
final class ExtractiveAnswerer {
    static final String NO_ANSWER = "The provided sources do not contain an answer to this question.";
    private static final int MAX_SENTENCES = 3;
    private static final double K1 = 1.2;
    private static final double B = 0.75;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "can",
            "do", "does", "did", "for", "from", "has", "have", "how", "i", "in", "is", "it", "its", "me", "my", "of",
            "on", "or", "our", "so", "that", "the", "their", "there", "this", "to", "was", "we", "what", "when",
            "where", "which", "who", "why", "will", "with", "you", "your", "about", "tell", "please");

    private ExtractiveAnswerer() {
    }

    /** One sentence of a source, in source order, with its citation and its {@link #terms}. */
    record Sentence(int order, String text, String citation, List<String> terms) {
    }

    /** The cited answer to {@code question} from {@code sources}, or {@link #NO_ANSWER}. */
    static String answer(List<Source> sources, String question) {
        List<Sentence> used = answerSentences(sentences(sources), question);
        if (used.isEmpty()) return NO_ANSWER;
        return String.join(" ", used.stream().map(s -> s.text() + " [" + s.citation() + "]").toList());
    }

    /** The sentences the answer is made of: the best few sharing a word with the question, best first. */
    static List<Sentence> answerSentences(List<Sentence> sentences, String question) {
        List<Sentence> ranked = ranked(sentences, question);
        return ranked.subList(0, Math.min(MAX_SENTENCES, ranked.size()));
    }

    /** The sentences sharing a word with {@code question}, best BM25 score first (ties: source order). */
    static List<Sentence> ranked(List<Sentence> sentences, String question) {
        Map<String, Integer> documentFrequency = documentFrequency(sentences);
        Set<String> query = withSpellings(terms(question), documentFrequency.keySet());
        if (sentences.isEmpty() || query.isEmpty()) return List.of();
        double averageLength = sentences.stream().mapToInt(s -> s.terms().size()).average().orElse(1);
        List<Map.Entry<Sentence, Double>> scored = new ArrayList<>();
        for (Sentence s : sentences) {
            double score = bm25(s, query, documentFrequency, sentences.size(), averageLength);
            if (score > 0) scored.add(Map.entry(s, score));
        }
        scored.sort(Map.Entry.<Sentence, Double>comparingByValue().reversed()
                .thenComparing(e -> e.getKey().order()));
        return scored.stream().map(Map.Entry::getKey).toList();
    }

    /** The sources split into sentences (after {@code .}, {@code !} or {@code ?}) that have terms. */
    static List<Sentence> sentences(List<Source> sources) {
        List<Sentence> out = new ArrayList<>();
        for (Source source : sources) {
            for (String text : SENTENCE_END.split(source.text())) {
                List<String> terms = terms(text);
                if (!terms.isEmpty()) out.add(new Sentence(out.size(), text.strip(), source.citation(), terms));
            }
        }
        return out;
    }

    /**
     * The question's terms, each one the sources lack replaced by the source words it is a typo of
     * (same first letter, one edit for words of five letters, two for longer ones; shorter words
     * stay, as one edit makes too many other words of them), as a
     * reader would take "hearin" for "hearing". Terms the sources contain stay as they are.
     */
    static Set<String> withSpellings(List<String> terms, Set<String> vocabulary) {
        Set<String> out = new HashSet<>();
        for (String t : terms) {
            if (vocabulary.contains(t) || t.length() < 5) {
                out.add(t);
                continue;
            }
            int maxEdits = t.length() < 6 ? 1 : 2;
            for (String v : vocabulary) {
                if (v.charAt(0) == t.charAt(0) && Math.abs(v.length() - t.length()) <= maxEdits
                        && edits(t, v, maxEdits) <= maxEdits) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** Optimal string alignment distance (a swap of neighbours is one edit), or {@code max + 1} once above {@code max}. */
    static int edits(String a, String b, int max) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int rowMin = Integer.MAX_VALUE;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
                rowMin = Math.min(rowMin, d[i][j]);
            }
            if (rowMin > max) return max + 1;
        }
        return d[a.length()][b.length()];
    }

    static Map<String, Integer> documentFrequency(List<Sentence> sentences) {
        Map<String, Integer> df = new HashMap<>();
        for (Sentence s : sentences) for (String t : new HashSet<>(s.terms())) df.merge(t, 1, Integer::sum);
        return df;
    }

    private static double bm25(Sentence s, Set<String> query, Map<String, Integer> df, int n, double avgLength) {
        double score = 0;
        for (String term : query) {
            long tf = s.terms().stream().filter(term::equals).count();
            if (tf == 0) continue;
            int d = df.getOrDefault(term, 0);
            double idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * s.terms().size() / avgLength));
        }
        return score;
    }

    /** Lower-case words of two or more characters, without stop words, with a plural "s" folded. */
    static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        for (String w : contentWords(text)) {
            w = w.toLowerCase(Locale.ROOT);
            out.add(w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w);
        }
        return out;
    }

    /** The words of {@code text} as written, without stop words and one-letter words. */
    static List<String> contentWords(String text) {
        List<String> out = new ArrayList<>();
        for (String w : NON_WORD.split(text)) {
            if (w.length() >= 2 && !STOP_WORDS.contains(w.toLowerCase(Locale.ROOT))) out.add(w);
        }
        return out;
    }
}
