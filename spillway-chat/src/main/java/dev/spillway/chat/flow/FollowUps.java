package dev.spillway.chat.flow;

import dev.spillway.retrieval.Hit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follow-up questions: parsed from the {@code <<question>>} markers an answer ends with (the
 * reference demo's convention), or derived from the retrieved sources when it has none. Stateless.
 */
public final class FollowUps {
    private static final Pattern MARKER = Pattern.compile("<<([^<>]{1,300})>>");
    private static final Pattern CITATION = Pattern.compile("\\[([^\\[\\]\\s][^\\[\\]]{0,300})]");

    private FollowUps() {
    }

    /** The questions inside {@code <<...>>} markers, in order, without duplicates. */
    public static List<String> parse(String answer, int max) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = MARKER.matcher(answer);
        while (m.find() && out.size() < max) {
            String q = m.group(1).strip();
            if (!q.isEmpty()) out.add(q);
        }
        return List.copyOf(out);
    }

    /** The answer without follow-up markers (they are shown as buttons instead). */
    public static String strip(String answer) {
        int start = answer.indexOf("<<");
        String body = start < 0 ? answer : answer.substring(0, start);
        return MARKER.matcher(body).replaceAll("").strip();
    }

    /** Questions about the sources' sections (or documents when a hit has no section), best hit first. */
    public static List<String> derive(List<Hit> hits, int max) {
        Set<String> out = new LinkedHashSet<>();
        for (Hit h : hits) {
            if (out.size() >= max) break;
            out.add(h.section().isBlank() ? "What else does " + h.source() + " cover?"
                    : "What does " + h.source() + " say about " + h.section() + "?");
        }
        return List.copyOf(out);
    }

    /** The citations the answer uses that name a given source, in order of first use. */
    public static List<String> citationsUsed(String answer, List<Hit> hits) {
        Set<String> known = new LinkedHashSet<>();
        hits.forEach(h -> known.add(h.citation()));
        Set<String> used = new LinkedHashSet<>();
        Matcher m = CITATION.matcher(answer);
        while (m.find()) if (known.contains(m.group(1))) used.add(m.group(1));
        return new ArrayList<>(used);
    }
}
