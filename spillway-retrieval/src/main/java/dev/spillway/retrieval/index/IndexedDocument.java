package dev.spillway.retrieval.index;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the index stores for one source file: its title (searched with every chunk), its
 * content hash (for incremental ingestion), its access groups (empty = public), the full text of
 * each page (for the citation view), its embedded chunks and the file it came from (to render a
 * cited PDF page). Immutable.
 */
public record IndexedDocument(String source, String title, String hash, Set<String> groups, List<Page> pages,
                              List<Chunk> chunks, Optional<Path> origin) {
    public IndexedDocument {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(hash, "hash");
        groups = Set.copyOf(groups);
        pages = List.copyOf(pages);
        chunks = List.copyOf(chunks);
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * A document without a title (its chunks are searched by heading and text alone) and with no
     * file behind it (tests, evaluation corpora).
     */
    public IndexedDocument(String source, String hash, Set<String> groups, List<Page> pages, List<Chunk> chunks) {
        this(source, "", hash, groups, pages, chunks, Optional.empty());
    }

    /** The text of one page; {@code page} is 1-based, or 0 for formats without pages. */
    public record Page(int page, String text) {
    }

    /** One retrievable chunk with its unit-length embedding. */
    public record Chunk(int page, String section, String text, float[] vector) {
        /** What BM25 indexes and what the embedder sees: the heading (if any), then the text. */
        public static String searchableText(String section, String text) {
            return section.isBlank() ? text : section + "\n" + text;
        }

        /** The document's title (if any), then the heading (if any), then the text. */
        public static String searchableText(String title, String section, String text) {
            return title.isBlank() ? searchableText(section, text) : title + "\n" + searchableText(section, text);
        }
    }
}
