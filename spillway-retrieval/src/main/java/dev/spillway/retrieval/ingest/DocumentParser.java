package dev.spillway.retrieval.ingest;

import java.io.IOException;
import java.util.List;

/** Extracts the passages of one file format. Implementations are stateless and thread-safe. */
public interface DocumentParser {
    List<Passage> parse(byte[] content) throws IOException;
}
