package dev.spillway.simulator.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds sources in prompt text, in the two forms docs/simulator.md documents: a line starting with a
 * bracketed citation ({@code [file.pdf#page=3]: text}), or {@code name: text} lines after a line
 * {@code Sources:}. Non-blank lines that start no new source continue the previous one; a blank line
 * ends a bracketed source. Stateless and thread-safe.
 */
final class SourceParser {
    private static final Pattern BRACKETED = Pattern.compile("^\\s*\\[([^\\[\\]\\n]{1,200})\\]:?\\s*(.*)$");
    private static final Pattern NAMED = Pattern.compile("^\\s*([^\\s:]{1,200}):\\s+(.*)$");
    private static final Pattern HEADER = Pattern.compile("^\\s*\\W*sources\\W*:\\W*\\s*$", Pattern.CASE_INSENSITIVE);

    private SourceParser() {
    }

    /** The sources in {@code text}, in order of appearance. */
    static List<Source> parse(String text) {
        return scan(text).sources();
    }

    /** {@code text} without its source lines (the question part of a user message that carries sources). */
    static String withoutSources(String text) {
        return scan(text).rest().strip();
    }

    private record Scan(List<Source> sources, String rest) {
    }

    private static Scan scan(String text) {
        if (text.indexOf('[') < 0 && text.indexOf("ources") < 0 && text.indexOf("OURCES") < 0) {
            return new Scan(List.of(), text); // the common case: no sources, no regex work
        }
        List<String[]> found = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        boolean inBlock = false;
        boolean inSource = false;
        for (String line : text.split("\n", -1)) {
            Matcher b = BRACKETED.matcher(line);
            Matcher n = NAMED.matcher(line);
            if (HEADER.matcher(line).matches()) {
                inBlock = true;
                inSource = false;
            } else if (b.matches()) {
                found.add(new String[] {b.group(1).strip(), b.group(2)});
                inSource = true;
            } else if (inBlock && n.matches()) {
                found.add(new String[] {n.group(1), n.group(2)});
                inSource = true;
            } else if (line.isBlank()) {
                inSource = false;
                rest.append('\n');
            } else if (inSource || inBlock) {
                if (!found.isEmpty()) found.getLast()[1] += " " + line.strip();
            } else {
                rest.append(line).append('\n');
            }
        }
        List<Source> sources = new ArrayList<>();
        for (String[] f : found) if (!f[1].isBlank()) sources.add(new Source(f[0], f[1].strip()));
        return new Scan(sources, rest.toString());
    }
}
