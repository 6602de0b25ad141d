package dev.spillway.retrieval.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the headings in a PDF page's text lines, where PDFs keep no structure: a line is a
 * heading when it is short (at most {@value #MAX_WORDS} words, {@value #MAX_CHARS} characters),
 * starts with a capital letter, ends without sentence punctuation, and every word longer than
 * three letters is capitalised ("CARE MANAGEMENT: Prior-Authorization for Benefit Coverage").
 * Consecutive heading lines make one heading. The page is split into one passage per heading;
 * text before the page's first heading continues the heading carried over from the page before.
 * Stateless and thread-safe.
 */
final class PdfHeadings {
    static final int MAX_WORDS = 12;
    static final int MAX_CHARS = 90;
    private static final Pattern WORD = Pattern.compile("\\s+");
    private static final Set<Character> SENTENCE_ENDS = Set.of('.', ',', ';', ':', '!', '?', '-', '(', '/');

    private PdfHeadings() {
    }

    /** The page's passages and the heading in force at its end (to carry to the next page). */
    record Split(List<Passage> passages, String lastHeading) {
    }

    static Split split(int page, String text, String carried) {
        List<Passage> out = new ArrayList<>();
        String heading = carried;
        StringBuilder body = new StringBuilder();
        boolean previousWasHeading = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (isHeading(line)) {
                if (!body.isEmpty()) out.add(new Passage(page, heading, body.toString().strip()));
                body.setLength(0);
                heading = previousWasHeading ? merge(heading, line) : line;
                previousWasHeading = true;
            } else {
                if (!line.isEmpty()) body.append(raw).append('\n');
                previousWasHeading = previousWasHeading && line.isEmpty();
            }
        }
        if (!body.isEmpty()) out.add(new Passage(page, heading, body.toString().strip()));
        return new Split(out, heading);
    }

    /** Two heading lines in a row: the longer when one holds the other, else both. */
    private static String merge(String first, String second) {
        String a = first.toLowerCase(Locale.ROOT), b = second.toLowerCase(Locale.ROOT);
        if (b.contains(a)) return second;
        if (a.contains(b)) return first;
        return first + " " + second;
    }

    static boolean isHeading(String line) {
        if (line.length() < 3 || line.length() > MAX_CHARS) return false;
        if (!Character.isUpperCase(line.charAt(0))) return false;
        if (SENTENCE_ENDS.contains(line.charAt(line.length() - 1))) return false;
        String[] words = WORD.split(line);
        if (words.length > MAX_WORDS) return false;
        boolean hasLetters = false;
        for (String w : words) {
            String letters = w.replaceAll("[^\\p{L}]", "");
            if (letters.isEmpty()) continue;
            hasLetters = true;
            if (letters.length() > 3 && !Character.isUpperCase(letters.charAt(0))) return false;
        }
        return hasLetters;
    }
}
