package dev.spillway.retrieval.eval;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code [source]} citations in answer text and normalises them for comparison
 * ({@code [Plan.pdf#page=7]} and {@code [plan.pdf #page=7]} are the same). Stateless.
 */
public final class Citations {
    private static final Pattern CITATION = Pattern.compile("\\[([^\\[\\]\\n]{1,300})]");

    private Citations() {
    }

    /** The distinct normalised citations in {@code text}, in order of appearance. */
    public static Set<String> in(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = CITATION.matcher(text);
        while (m.find()) {
            for (String part : m.group(1).split("[,;]")) {
                String c = normalize(part);
                if (looksLikeSource(c)) out.add(c);
            }
        }
        return out;
    }

    /** The text with citations removed. */
    public static String strip(String text) {
        return CITATION.matcher(text).replaceAll(" ");
    }

    public static String normalize(String citation) {
        return citation.strip().replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    }

    // A source names a file: it has an extension before any '#'; "[1]" or "[sic]" are not sources.
    private static boolean looksLikeSource(String c) {
        String file = c.contains("#") ? c.substring(0, c.indexOf('#')) : c;
        return file.matches(".*\\.[a-z0-9]{1,5}");
    }
}
