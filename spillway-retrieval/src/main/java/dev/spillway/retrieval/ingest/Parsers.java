package dev.spillway.retrieval.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Picks the parser for a file by its extension: txt, md/markdown, html/htm, pdf. Stateless. */
public final class Parsers {
    private static final Map<String, DocumentParser> BY_EXTENSION = Map.of(
            "txt", new TextParser(),
            "md", new MarkdownParser(),
            "markdown", new MarkdownParser(),
            "html", new HtmlParser(),
            "htm", new HtmlParser(),
            "pdf", new PdfParser());

    private Parsers() {
    }

    public static Optional<DocumentParser> forFile(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) return Optional.empty();
        return Optional.ofNullable(BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
