package dev.spillway.chat.flow;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A prompt template with {@code {{name}}} placeholders, checked against the names a step offers. Immutable. */
public record Template(String text) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z-]+)\\s*}}");

    /** The placeholders used that are not in {@code allowed}, sorted; empty when the template is valid. */
    public Set<String> unknownPlaceholders(Set<String> allowed) {
        Set<String> unknown = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) if (!allowed.contains(m.group(1))) unknown.add(m.group(1));
        return unknown;
    }

    public String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 256);
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        m.appendTail(out);
        return out.toString().strip();
    }
}
