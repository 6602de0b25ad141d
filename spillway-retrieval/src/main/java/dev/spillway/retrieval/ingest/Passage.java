package dev.spillway.retrieval.ingest;

/**
 * A run of text from one page and section of a document, as a parser found it. {@code page} is
 * 1-based for PDFs and 0 for formats without pages; {@code section} is the nearest heading or
 * empty. Chunks never span two passages. Immutable.
 */
public record Passage(int page, String section, String text) {
}
