package dev.spillway.retrieval.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * HTML via jsoup: the body's text with block elements as line breaks; every {@code h1}-{@code h6}
 * starts a new passage under that heading (the page title is the section before the first one).
 * Scripts, styles and navigation are dropped. Stateless.
 */
final class HtmlParser implements DocumentParser {
    private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");
    private static final Set<String> BLOCKS = Set.of("p", "div", "li", "tr", "br", "pre", "blockquote", "section",
            "article", "table", "ul", "ol", "dd", "dt", "td", "th");

    @Override
    public List<Passage> parse(byte[] content) {
        Document doc = Jsoup.parse(new String(content, StandardCharsets.UTF_8));
        doc.select("script, style, nav, noscript, template").remove();
        Collector collector = new Collector(doc.title().strip());
        NodeTraversor.traverse(collector, doc.body());
        collector.flush();
        return collector.out;
    }

    private static final class Collector implements NodeVisitor {
        final List<Passage> out = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        String section;

        Collector(String title) {
            section = title;
        }

        @Override
        public void head(Node node, int depth) {
            if (node instanceof Element e && HEADINGS.contains(e.normalName())) {
                flush();
                section = e.text().strip();
            } else if (node instanceof TextNode t && !insideHeading(t)) {
                text.append(t.text());
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e && BLOCKS.contains(e.normalName())) text.append('\n');
        }

        void flush() {
            String s = text.toString().replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll("\\s*\\n\\s*", "\n").strip();
            if (!s.isEmpty()) out.add(new Passage(0, section, s));
            text.setLength(0);
        }

        private static boolean insideHeading(Node n) {
            for (Node p = n.parentNode(); p != null; p = p.parentNode()) {
                if (p instanceof Element e && HEADINGS.contains(e.normalName())) return true;
            }
            return false;
        }
    }
}
