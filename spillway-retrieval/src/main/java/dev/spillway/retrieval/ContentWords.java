package dev.spillway.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Content words as the BM25 index sees them: lower-cased, English-stemmed, stop words removed
 * (Lucene's {@link EnglishAnalyzer}). Used to compare texts word by word (answer groundedness,
 * the chat app's check of a rewritten query). Thread-safe.
 */
public final class ContentWords {
    private static final Analyzer ENGLISH = new EnglishAnalyzer();

    private ContentWords() {
    }

    /** The content words of {@code text}, in order, repeats kept. */
    public static List<String> of(String text) {
        List<String> out = new ArrayList<>();
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

    /** True when {@code a} and {@code b} share at least one content word. */
    public static boolean shareAny(String a, String b) {
        List<String> words = of(b);
        return of(a).stream().anyMatch(words::contains);
    }
}
