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
 * "What about W1 W2?" from its two rarest words the question does not already use.
 * Stateless and thread-safe.
 */
final class FollowUpSuggester {
    private static final Pattern REQUEST = Pattern.compile("(?i)follow[- ]?up\\s+questions?");
    private static final Pattern COUNT = Pattern.compile("(?i)\\b(\\d{1,2}|one|two|three|four|five)\\b[^.\\n]{0,40}?"
            + "follow[- ]?up\\s+questions?");
    private static final List<String> NUMBERS = List.of("one", "two", "three", "four", "five");
    private static final int DEFAULT_COUNT = 3;
    private static final int MAX_COUNT = 5;
    private static final int TOPIC_WORDS = 2;
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

    /** The sentence's rarest words the question does not use, in the sentence's order. */
    private static List<String> topic(String sentence, Set<String> asked, Map<String, Integer> df) {
        List<String> words = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String w : ExtractiveAnswerer.contentWords(sentence)) {
            String term = ExtractiveAnswerer.terms(w).getFirst();
            if (w.length() >= MIN_WORD_LENGTH && !asked.contains(term) && seen.add(term) && !isNumber(w)) words.add(w);
        }
        List<String> rarest = words.stream()
                .sorted(Comparator.comparingInt(w -> df.getOrDefault(ExtractiveAnswerer.terms(w).getFirst(), 0)))
                .limit(TOPIC_WORDS).toList();
        return words.stream().filter(rarest::contains).toList();
    }

    private static boolean isNumber(String word) {
        return word.chars().anyMatch(Character::isDigit);
    }
}
