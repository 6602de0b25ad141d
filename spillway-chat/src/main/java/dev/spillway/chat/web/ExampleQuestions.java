package dev.spillway.chat.web;

import dev.spillway.retrieval.Hit;
import java.util.List;

/**
 * The example questions on the empty chat screen: the configured ones, or else one per indexed
 * document the user may see, phrased from its heading ("What does handbook.pdf say about
 * Vacation?") or, without one, from its name ("What is in handbook.pdf?"). Stateless.
 */
final class ExampleQuestions {
    static final int COUNT = 4;

    private ExampleQuestions() {
    }

    static List<String> of(List<String> configured, List<Hit> topics) {
        if (!configured.isEmpty()) return configured;
        return topics.stream().limit(COUNT).map(ExampleQuestions::question).toList();
    }

    private static String question(Hit h) {
        String name = h.source().substring(h.source().lastIndexOf('/') + 1);
        String section = h.section().strip();
        if (section.isEmpty() || section.length() > 80) return "What is in " + name + "?";
        return "What does " + name + " say about " + section + "?";
    }
}
