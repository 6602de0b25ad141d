package dev.spillway.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfPageImageTest {
    @TempDir
    Path dir;

    @Test
    void theCitedPassageIsMarkedInYellowAndTheRestOfThePageIsNot() throws IOException {
        Path pdf = pdf("Intro line that is not cited.", "Employees get 25 days of paid vacation per year.");
        BufferedImage plain = image(PdfPageImage.render(pdf, 1, ""));
        BufferedImage marked = image(PdfPageImage.render(pdf, 1, "employees get 25 days of PAID vacation"));
        assertThat(yellowPixels(plain)).isZero();
        assertThat(yellowPixels(marked)).isGreaterThan(500);
        // The mark sits on the second line (y ≈ 100-115 pt from the top at 110 dpi), not on the first.
        int firstLineY = Math.round(70 * 110 / 72f);
        assertThat(yellowPixelsInRow(marked, firstLineY)).isZero();
    }

    @Test
    void theAnswersSentenceIsMarkedWhenItIsOnThePageElseTheWholeChunk() throws IOException {
        Path pdf = pdf("Unused days carry over to the next year.", "Employees get 25 days of paid vacation per year.");
        String chunk = "Unused days carry over to the next year. Employees get 25 days of paid vacation per year.";
        BufferedImage quoted = image(PdfPageImage.render(pdf, 1, List.of("Employees get 25 days of paid vacation", chunk)));
        int firstLineY = Math.round(70 * 110 / 72f) - 4;
        int secondLineY = Math.round(100 * 110 / 72f) - 4;
        assertThat(yellowPixelsInRow(quoted, firstLineY)).isZero();
        assertThat(yellowPixelsInRow(quoted, secondLineY)).isPositive();
        BufferedImage paraphrased = image(PdfPageImage.render(pdf, 1, List.of("Staff have twenty-five days off", chunk)));
        assertThat(yellowPixelsInRow(paraphrased, firstLineY)).isPositive();
        assertThat(yellowPixelsInRow(paraphrased, secondLineY)).isPositive();
    }

    @Test
    void aPassageThatIsNotOnThePageMarksNothing() throws IOException {
        Path pdf = pdf("Employees get 25 days of paid vacation per year.");
        assertThat(yellowPixels(image(PdfPageImage.render(pdf, 1, "dental cleanings twice a year")))).isZero();
    }

    @Test
    void aPageBeyondTheDocumentIsRefusedWithItsNumber() throws IOException {
        Path pdf = pdf("One page.");
        assertThatThrownBy(() -> PdfPageImage.render(pdf, 4, "")).hasMessageContaining("has no page 4");
    }

    @Test
    void theLongestInOrderRunOfPassageWordsIsChosen() {
        List<PdfPageImage.Word> page = PdfPageImage.words("a b c x a b c d e").stream()
                .map(w -> new PdfPageImage.Word(w, 0, 0, 1, 1)).toList();
        assertThat(PdfPageImage.longestRun(page, PdfPageImage.words("A, b; c d e!"))).containsExactly(4, 5);
        assertThat(PdfPageImage.longestRun(page, PdfPageImage.words("z y"))).containsExactly(0, 0);
    }

    private Path pdf(String... lines) throws IOException {
        Path file = dir.resolve("doc.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A5);
            doc.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 10);
                text.setLeading(30);
                text.newLineAtOffset(36, page.getMediaBox().getHeight() - 70);
                for (String line : lines) {
                    text.showText(line);
                    text.newLine();
                }
                text.endText();
            }
            doc.save(file.toFile());
        }
        return file;
    }

    private static BufferedImage image(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static boolean yellow(int rgb) {
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        return r > 200 && g > 180 && b < 160;
    }

    private static int yellowPixels(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) n += yellowPixelsInRow(image, y);
        return n;
    }

    private static int yellowPixelsInRow(BufferedImage image, int y) {
        int n = 0;
        for (int x = 0; x < image.getWidth(); x++) if (yellow(image.getRGB(x, y))) n++;
        return n;
    }
}
