package dev.spillway.simulator.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a chat app's query-rewrite request ("Generate a search query for ...", as the chat flow's
 * rewrite step and the Azure demos send it) the way a model would: the content words of the last
 * user turn, led by those of the user turn before it when the question leans on the conversation
 * (fewer than two content words of its own, a referring word as in "Does it cover glasses?", or an
 * opening such as "What about", "And"). Reads the two layouts in use: one user message
 * with {@code Conversation so far:} / {@code New question:} parts, or the conversation as messages.
 * Replies {@code 0} when no query can be made, as the prompts ask. Stateless and thread-safe.
 */
final class QueryRewriter {
    private static final Pattern REQUEST = Pattern.compile("(?i)generate\\s+a\\s+search\\s+query");
    private static final Pattern NEW_QUESTION = Pattern.compile(
            "(?is)new\\s+question\\s*:\\s*(.*?)\\s*(?:\\n\\s*\\n|\\n\\s*search\\s+query\\s*:|$)");
    private static final Pattern CONVERSATION = Pattern.compile("(?is)conversation\\s+so\\s+far\\s*:(.*?)new\\s+question\\s*:");
    private static final Pattern USER_LINE = Pattern.compile("(?im)^\\s*user\\s*:\\s*(.+)$");
    private static final Pattern BRACKETED = Pattern.compile("\\[[^\\[\\]]*]|<<[^<>]*>>");
    /** Words a question is asked with that say nothing about what to search for. */
    private static final Set<String> ASKING = Set.of("much", "many", "any", "if", "not", "am", "were", "been",
            "should", "would", "could", "than", "then", "also", "get", "need", "know", "else", "more",
            "they", "them", "these", "those", "he", "she", "his", "her", "one", "ones", "us", "some", "often",
            "question");
    /** Words that point back into the conversation: a question using them is a follow-up. */
    private static final Set<String> REFERRING = Set.of("it", "its", "this", "that", "these", "those", "they",
            "them", "their", "there", "one", "ones", "else", "also", "more", "same", "he", "she", "his", "her");
    private static final int MIN_OWN_WORDS = 2;
    /** Openings that continue the conversation: "What about dental?", "And for children?". */
    private static final Pattern FOLLOW_UP_OPENING = Pattern.compile("(?i)^\\W*(?:(?:what|how)\\s+about|and|also|or)\\b");

    private QueryRewriter() {
    }

    /** True when the request asks for a search query rather than an answer. */
    static boolean isRewriteRequest(ChatRequest request) {
        for (ChatRequest.Message m : request.messages()) {
            if (!m.role().equals("assistant") && REQUEST.matcher(m.text()).find()) return true;
        }
        return false;
    }

    /** The search query for a rewrite request, or {@code 0} when the question has no content word. */
    static String rewrite(ChatRequest request) {
        String last = request.lastUserText();
        Matcher q = NEW_QUESTION.matcher(last);
        String question = q.find() ? q.group(1) : last;
        List<String> own = keywords(question);
        if (own.isEmpty()) return "0";
        Optional<String> previous = previousUserTurn(request, last);
        if (previous.isEmpty() || !isFollowUp(question, own)) return String.join(" ", own);
        Map<String, String> words = new LinkedHashMap<>();
        for (String w : keywords(previous.get())) words.putIfAbsent(w.toLowerCase(Locale.ROOT), w);
        for (String w : own) words.putIfAbsent(w.toLowerCase(Locale.ROOT), w);
        return String.join(" ", words.values());
    }

    private static boolean isFollowUp(String question, List<String> own) {
        if (own.size() < MIN_OWN_WORDS || FOLLOW_UP_OPENING.matcher(question).find()) return true;
        for (String w : question.split("[^\\p{L}]+")) if (REFERRING.contains(w.toLowerCase(Locale.ROOT))) return true;
        return false;
    }

    /** The user turn before the question: the last {@code user:} line of the transcript, or message. */
    private static Optional<String> previousUserTurn(ChatRequest request, String last) {
        Matcher c = CONVERSATION.matcher(last);
        if (c.find()) {
            Matcher line = USER_LINE.matcher(c.group(1));
            String found = null;
            while (line.find()) found = line.group(1);
            return Optional.ofNullable(found);
        }
        List<String> users = new ArrayList<>();
        for (ChatRequest.Message m : request.messages()) if (m.role().equals("user")) users.add(m.text());
        return users.size() < 2 ? Optional.empty() : Optional.of(users.get(users.size() - 2));
    }

    /** The content words of {@code text} without citations and follow-up markers, each once. */
    private static List<String> keywords(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String w : ExtractiveAnswerer.contentWords(BRACKETED.matcher(text).replaceAll(" "))) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (!ASKING.contains(lower) && !REFERRING.contains(lower)) out.putIfAbsent(lower, w);
        }
        return List.copyOf(out.values());
    }
}
