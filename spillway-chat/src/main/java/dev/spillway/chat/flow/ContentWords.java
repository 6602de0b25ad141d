package dev.spillway.chat.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Content words as the index sees them: English-stemmed, lower-cased, stop words removed (Lucene's
 * {@link EnglishAnalyzer}, the analyzer of the BM25 field). Thread-safe.
 */
final class ContentWords {
    private static final Analyzer ENGLISH = new EnglishAnalyzer();

    private ContentWords() {
    }

    /** True when {@code a} and {@code b} share at least one content word. */
    static boolean sharesAny(String a, String b) {
        Set<String> words = of(b);
        return of(a).stream().anyMatch(words::contains);
    }

    static Set<String> of(String text) {
        Set<String> out = new HashSet<>();
        try (TokenStream ts = ENGLISH.tokenStream("text", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(term.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
