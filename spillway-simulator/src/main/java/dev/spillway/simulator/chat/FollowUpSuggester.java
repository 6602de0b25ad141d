package dev.spillway.simulator.chat;

import dev.spillway.simulator.chat.ExtractiveAnswerer.Sentence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a prompt's request for follow-up questions in double angle brackets ("suggest 3 very
 * brief follow-up questions ... <<Are glasses covered?>>", as the chat flow's answer step and the
 * Azure demos ask): questions about what the cited passages say beyond the answer. Candidates are
 * the cited sources' other sentences, the ones sharing most with the question first; each becomes
 * "What about W1 W2?" from its rarest pair of neighbouring content words the question does not
 * already hold both of.
 * Stateless and thread-safe.
 */
final class FollowUpSuggester {
    private static final Pattern REQUEST = Pattern.compile("(?i)follow[- ]?up\\s+questions?");
    private static final Pattern COUNT = Pattern.compile("(?i)\\b(\\d{1,2}|one|two|three|four|five)\\b[^.\\n]{0,40}?"
            + "follow[- ]?up\\s+questions?");
    private static final List<String> NUMBERS = List.of("one", "two", "three", "four", "five");
    private static final int DEFAULT_COUNT = 3;
    private static final int MAX_COUNT = 5;
    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{Punct}•–—]+");
    private static final Pattern WORDS = Pattern.compile("\\s+");
    /** Poor topics: verbs of coverage, quantifiers, connectives (as {@link ExtractiveAnswerer#terms} gives them). */
    private static final Set<String> GENERIC = Set.of(
            "cover", "covered", "include", "including", "provide", "provided", "included", "also",
            "such", "other", "may", "must", "would", "could", "should", "need", "needed",
            "addition", "additionally", "however", "each", "every", "well", "only", "more", "most",
            "some", "many", "much", "certain", "different", "various", "able", "used", "using",
            "use", "make", "made", "take", "help", "get", "receive", "received", "all", "any",
            "not", "than", "then", "these", "those", "they", "them", "very", "way", "ways", "like",
            "one", "two", "three", "up", "out", "if", "but", "into", "over", "under", "after",
            "before", "while", "both", "either", "per", "time", "year", "day");
    private static final int MIN_WORD_LENGTH = 4;

    private FollowUpSuggester() {
    }

    /** How many follow-ups the prompt asks for in {@code <<...>>} markers, or 0 when it asks for none. */
    static int requested(ChatRequest request) {
        for (ChatRequest.Message m : request.messages()) {
            if (m.role().equals("assistant") || !m.text().contains("<<") || !REQUEST.matcher(m.text()).find()) continue;
            Matcher c = COUNT.matcher(m.text());
            if (!c.find()) return DEFAULT_COUNT;
            String n = c.group(1).toLowerCase(Locale.ROOT);
            int count = NUMBERS.contains(n) ? NUMBERS.indexOf(n) + 1 : Integer.parseInt(n);
            return Math.clamp(count, 1, MAX_COUNT);
        }
        return 0;
    }

    /** Up to {@code count} questions about the passages the answer to {@code question} cites. */
    static List<String> suggest(List<Source> sources, String question, int count) {
        List<Sentence> sentences = ExtractiveAnswerer.sentences(sources);
        List<Sentence> used = ExtractiveAnswerer.answerSentences(sentences, question);
        Set<String> cited = new HashSet<>();
        used.forEach(s -> cited.add(s.citation()));
        Set<String> asked = new HashSet<>(ExtractiveAnswerer.terms(question));
        Map<String, Integer> df = ExtractiveAnswerer.documentFrequency(sentences);
        Set<String> out = new LinkedHashSet<>();
        for (Sentence s : candidates(sentences, question, used, cited)) {
            if (out.size() >= count) break;
            List<String> topic = topic(s.text(), asked, df);
            if (!topic.isEmpty()) out.add("What about " + String.join(" ", topic) + "?");
        }
        return List.copyOf(out);
    }

    /** The cited sources' sentences not in the answer: related ones first, then the rest in order. */
    private static List<Sentence> candidates(List<Sentence> sentences, String question, List<Sentence> used,
                                             Set<String> cited) {
        Set<Sentence> ordered = new LinkedHashSet<>(ExtractiveAnswerer.ranked(sentences, question));
        ordered.addAll(sentences);
        List<Sentence> out = new ArrayList<>();
        for (Sentence s : ordered) if (cited.contains(s.citation()) && !used.contains(s)) out.add(s);
        return out;
    }

    /**
     * Two words standing side by side in the sentence (no punctuation between), both content words
     * and at least one new to the question, the rarest pair first; else its rarest new word.
     */
    private static List<String> topic(String sentence, Set<String> asked, Map<String, Integer> df) {
        List<String> best = List.of();
        int bestScore = Integer.MAX_VALUE;
        for (String span : PUNCTUATION.split(sentence)) {
            List<String> words = List.of(WORDS.split(span.strip()));
            for (int i = 0; i + 1 < words.size(); i++) {
                String a = words.get(i), b = words.get(i + 1);
                if (!isTopicWord(a) || !isTopicWord(b) || asked.contains(term(a)) && asked.contains(term(b))) continue;
                int score = df.getOrDefault(term(a), 0) + df.getOrDefault(term(b), 0);
                if (score < bestScore) {
                    best = List.of(a, b);
                    bestScore = score;
                }
            }
        }
        if (!best.isEmpty()) return best;
        return ExtractiveAnswerer.contentWords(sentence).stream()
                .filter(w -> isTopicWord(w) && w.length() > MIN_WORD_LENGTH && !asked.contains(term(w)))
                .min(Comparator.comparingInt(w -> df.getOrDefault(term(w), 0))).map(List::of).orElse(List.of());
    }

    private static boolean isTopicWord(String word) {
        if (word.length() < MIN_WORD_LENGTH - 1 || isNumber(word) || !word.chars().allMatch(Character::isLetter)) return false;
        List<String> terms = ExtractiveAnswerer.terms(word);
        return !terms.isEmpty() && !GENERIC.contains(terms.getFirst());
    }

    private static String term(String word) {
        List<String> terms = ExtractiveAnswerer.terms(word);
        return terms.isEmpty() ? word.toLowerCase(Locale.ROOT) : terms.getFirst();
    }

    private static boolean isNumber(String word) {
        return word.chars().anyMatch(Character::isDigit);
    }
}
