package dev.spillway.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

class ParsersTest {
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ParsersTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A PDF with one line of text per page. */
    static byte[] pdf(String... pages) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String text : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                    s.beginText();
                    s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    s.newLineAtOffset(72, 700);
                    s.showText(text);
                    s.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void pdfKeepsOneBasedPageNumbers() throws IOException {
        List<Passage> passages = Parsers.forFile("a.pdf").orElseThrow()
                .parse(pdf("Dental care is covered.", "Vision care is not covered."));
        assertThat(passages).extracting(Passage::page).containsExactly(1, 2);
        assertThat(passages.get(0).text()).isEqualTo("Dental care is covered.");
        assertThat(passages.get(1).text()).isEqualTo("Vision care is not covered.");
    }

    @Test
    void markdownHeadingsBecomeSections() throws IOException {
        List<Passage> passages = Parsers.forFile("guide.md").orElseThrow().parse(fixture("guide.md"));
        assertThat(passages).extracting(Passage::section)
                .containsExactly("Installing", "Configuring the gateway", "Troubleshooting");
        assertThat(passages.get(1).text()).isEqualTo("Set the port in the YAML file. The default port is 8080.");
        assertThat(passages).allSatisfy(p -> assertThat(p.page()).isZero());
    }

    @Test
    void htmlHeadingsBecomeSectionsAndScriptsAndNavigationAreDropped() throws IOException {
        List<Passage> passages = Parsers.forFile("page.HTML").orElseThrow().parse(fixture("page.html"));
        assertThat(passages).extracting(Passage::section).containsExactly("Travel policy", "Booking flights", "Hotels");
        assertThat(passages.get(0).text()).isEqualTo("This policy applies to all employees.");
        assertThat(passages.get(1).text()).contains("Book economy class", "Use the travel portal.\nKeep the receipt.");
        assertThat(passages).noneSatisfy(p -> assertThat(p.text()).containsAnyOf("console.log", "Home | About", "color"));
    }

    @Test
    void textIsOnePassage() throws IOException {
        List<Passage> passages = Parsers.forFile("notes.txt").orElseThrow().parse(fixture("notes.txt"));
        assertThat(passages).singleElement().satisfies(p -> {
            assertThat(p.text()).contains("cafeteria opens at eight");
            assertThat(p.section()).isEmpty();
        });
    }

    @Test
    void unknownFormatsHaveNoParser() {
        assertThat(Parsers.forFile("slides.pptx")).isEmpty();
        assertThat(Parsers.forFile("README")).isEmpty();
    }
}
