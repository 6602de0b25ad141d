package dev.spillway.retrieval.index;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The full text of one page of a source document, for the "open the citation" view. {@code page}
 * is 1-based for paged formats (PDF) or 0 for the whole document; {@code pageCount} is how many
 * pages the document has (1 for formats without pages); {@code origin} is the file it was
 * ingested from, when known. Immutable.
 */
public record DocumentView(String source, int page, int pageCount, String text, String citation, Optional<Path> origin) {
    public DocumentView(String source, int page, int pageCount, String text, String citation) {
        this(source, page, pageCount, text, citation, Optional.empty());
    }
}
