package dev.spillway.simulator.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: screens the citation step of the chat demo offline. Reads, per question, the sources
 * the chat app would put in its prompt (written by the retrieval module's {@code PageRecall sources})
 * and answers from them with {@link ExtractiveAnswerer}, as the simulator answers the chat app;
 * prints the share of answers citing a truth page and of questions with a truth page among the
 * sources, and with {@code verbose} the questions whose truth was given but not cited. Gives the
 * same figures as {@code benchmarks/rag/chat-citations.py} through {@code /api/chat}, in seconds.
 *
 * <pre>java -cp ... dev.spillway.simulator.chat.CitationScreen SOURCES.jsonl [verbose]</pre>
 */
public final class CitationScreen {
    private static final Pattern CITATION = Pattern.compile("\\[([^\\[\\]\\n]{1,300})]");

    private CitationScreen() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        int n = 0, cited = 0, given = 0;
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            JsonNode c = json.readTree(line);
            Set<String> truth = new HashSet<>();
            c.get("truth").forEach(t -> truth.add(normal(t.asText())));
            List<Source> sources = new java.util.ArrayList<>();
            c.get("sources").forEach(s -> sources.add(new Source(s.get("citation").asText(), s.get("text").asText())));
            String answer = ExtractiveAnswerer.answer(sources, c.get("question").asText());
            boolean inSources = sources.stream().anyMatch(s -> truth.contains(normal(s.citation())));
            boolean cites = citations(answer).stream().anyMatch(truth::contains);
            n++;
            if (cites) cited++;
            if (inSources) given++;
            if (args.length > 1 && inSources && !cites) {
                System.out.println("given, not cited: " + c.get("question").asText() + " | truth " + truth
                        + " | cited " + citations(answer));
            }
        }
        System.out.printf(Locale.ROOT, "answer cites a truth page %d/%d, truth page among the sources %d/%d%n",
                cited, n, given, n);
    }

    private static Set<String> citations(String answer) {
        Set<String> out = new HashSet<>();
        Matcher m = CITATION.matcher(answer);
        while (m.find()) out.add(normal(m.group(1)));
        return out;
    }

    private static String normal(String citation) {
        return citation.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }
}
