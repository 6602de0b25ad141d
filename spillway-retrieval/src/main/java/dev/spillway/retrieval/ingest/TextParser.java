package dev.spillway.retrieval.ingest;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Plain text: the whole file is one passage without page or section. Stateless. */
final class TextParser implements DocumentParser {
    @Override
    public List<Passage> parse(byte[] content) {
        return List.of(new Passage(0, "", new String(content, StandardCharsets.UTF_8)));
    }
}
