package dev.spillway.gateway.redact;

import java.util.Locale;

/**
 * What the rules' pre-checks ({@link Redactor.Rule#mayMatch}) ask of one text, each found at most
 * once however many rules ask: nine rules want the longest digit run, three a word in any case.
 * Substring tests use {@link String#indexOf}, which the JVM vectorises. One per scan of a text; not
 * thread-safe.
 */
public final class TextFacts {
    private final String text;
    private String lower;
    private int digitRun = -1;

    public TextFacts(CharSequence text) {
        this.text = text.toString();
    }

    public boolean contains(String needle) {
        return text.contains(needle);
    }

    /**
     * Whether {@code needle}, in lower case, occurs in any case. Lower-casing the text may widen a
     * character (İ) but never splits an ASCII word, and the rules' {@code (?i)} matches ASCII only.
     */
    public boolean containsIgnoreCase(String needle) {
        if (lower == null) lower = text.toLowerCase(Locale.ROOT);
        return lower.contains(needle);
    }

    /**
     * The most digits in one run where single spaces or hyphens may stand between digits: what
     * the card pattern needs 13 of. JSON ids and timestamps have many digits, but not in one run.
     */
    public int longestDigitRun() {
        if (digitRun >= 0) return digitRun;
        int longest = 0;
        int run = 0;
        boolean afterSeparator = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (digit(c)) {
                longest = Math.max(longest, ++run);
                afterSeparator = false;
            } else if ((c == ' ' || c == '-') && run > 0 && !afterSeparator) {
                afterSeparator = true;
            } else {
                run = 0;
                afterSeparator = false;
            }
        }
        digitRun = longest;
        return longest;
    }

    /** Whether some {@code separator} has a digit on each side: what an IPv4 address needs. */
    public boolean digitsAround(char separator) {
        for (int i = text.indexOf(separator, 1); i > 0 && i + 1 < text.length(); i = text.indexOf(separator, i + 1)) {
            if (digit(text.charAt(i - 1)) && digit(text.charAt(i + 1))) return true;
        }
        return false;
    }

    /** Whether two colons stand at most {@code distance} characters apart: what an IPv6 address needs. */
    public boolean twoColonsWithin(int distance) {
        for (int i = text.indexOf(':'), j; i >= 0; i = j) {
            j = text.indexOf(':', i + 1);
            if (j >= 0 && j - i <= distance) return true;
        }
        return false;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
