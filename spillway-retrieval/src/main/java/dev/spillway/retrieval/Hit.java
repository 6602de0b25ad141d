package dev.spillway.retrieval;

/**
 * One retrieved chunk. {@code source} is the document's path relative to the ingestion root and
 * {@code page} its 1-based page (PDF) or 0 when the format has none; {@code section} is the
 * nearest heading, or empty. {@code citation} is what answers cite: {@code file.pdf#page=3} or
 * {@code guide.md#installing}.
 */
public record Hit(String chunkId, String source, int page, String section, String text, double score, String citation) {
}
