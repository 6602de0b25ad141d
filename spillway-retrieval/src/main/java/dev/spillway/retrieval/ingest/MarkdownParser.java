package dev.spillway.retrieval.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Markdown via CommonMark: every heading starts a new passage whose section is the heading text,
 * so chunks stay under their heading and citations can point at it. Stateless.
 */
final class MarkdownParser implements DocumentParser {
    private static final Parser PARSER = Parser.builder().build();
    private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();

    @Override
    public List<Passage> parse(byte[] content) {
        Node document = PARSER.parse(new String(content, StandardCharsets.UTF_8));
        List<Passage> out = new ArrayList<>();
        String section = "";
        StringBuilder text = new StringBuilder();
        for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            if (block instanceof Heading) {
                add(out, section, text);
                section = TEXT.render(block).strip();
                text.setLength(0);
            } else {
                text.append(TEXT.render(block).strip()).append("\n\n");
            }
        }
        add(out, section, text);
        return out;
    }

    private static void add(List<Passage> out, String section, StringBuilder text) {
        if (!text.toString().isBlank()) out.add(new Passage(0, section, text.toString().strip()));
    }
}
