package dev.spillway.retrieval.index;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Renders one page of a PDF to a PNG with PDFBox, marking a passage of its text in translucent
 * yellow, so a citation shows the page as printed with the cited words found on it. A passage is
 * located by its words (case and punctuation ignored): the longest run of its words that appears
 * in order on the page is marked, one box per line. Of several candidates (the answer's sentence,
 * then the whole retrieved chunk) the first found well enough is marked. Stateless.
 */
public final class PdfPageImage {
    private static final float DPI = 110;
    private static final Color MARK = new Color(255, 200, 0, 105);

    private PdfPageImage() {
    }

    /** PNG bytes of page {@code page} (1-based) of {@code pdf}, with {@code passage} marked if found. */
    public static byte[] render(Path pdf, int page, String passage) throws IOException {
        return render(pdf, page, List.of(passage));
    }

    /**
     * PNG bytes of page {@code page} of {@code pdf} with the first of {@code passages} that is on it
     * marked: all but the last must be found for at least 60 % of their words (at least 4), the
     * last for at least 3 words.
     */
    public static byte[] render(Path pdf, int page, List<String> passages) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            if (page < 1 || page > doc.getNumberOfPages()) {
                throw new IllegalArgumentException(pdf.getFileName() + " has no page " + page);
            }
            BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(page - 1, DPI, ImageType.RGB);
            mark(image, boxes(pageWords(doc, page), passages), DPI / 72f);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            return png.toByteArray();
        }
    }

    /** One word on the page and its box, in PDF units from the top-left corner. */
    record Word(String key, float x, float top, float right, float bottom) {
    }

    private static void mark(BufferedImage image, List<Word> lines, float scale) {
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(MARK);
            for (Word w : lines) {
                g.fillRect(Math.round(w.x() * scale) - 2, Math.round(w.top() * scale) - 2,
                        Math.round((w.right() - w.x()) * scale) + 4, Math.round((w.bottom() - w.top()) * scale) + 4);
            }
        } finally {
            g.dispose();
        }
    }

    /** The boxes of the words of the first passage found well enough, merged per line. */
    static List<Word> boxes(List<Word> onPage, List<String> passages) {
        for (int i = 0; i < passages.size(); i++) {
            List<String> passage = words(passages.get(i));
            int[] run = longestRun(onPage, passage);
            boolean last = i == passages.size() - 1;
            if (run[1] > 0 && (last || run[1] >= Math.max(4, Math.ceil(0.6 * passage.size())))) return lines(onPage, run);
        }
        return List.of();
    }

    private static List<Word> lines(List<Word> onPage, int[] run) {
        List<Word> lines = new ArrayList<>();
        for (int i = run[0]; i < run[0] + run[1]; i++) {
            Word w = onPage.get(i);
            Word last = lines.isEmpty() ? null : lines.getLast();
            if (last != null && Math.abs(last.bottom() - w.bottom()) < 2 && w.x() >= last.x()) {
                lines.set(lines.size() - 1, new Word("", last.x(), Math.min(last.top(), w.top()),
                        Math.max(last.right(), w.right()), Math.max(last.bottom(), w.bottom())));
            } else {
                lines.add(w);
            }
        }
        return lines;
    }

    /** {start, length} of the longest in-order run of passage words on the page; a run under 3 words marks nothing. */
    static int[] longestRun(List<Word> page, List<String> passage) {
        int bestStart = 0;
        int bestLength = 0;
        for (int i = 0; i < page.size(); i++) {
            for (int j = 0; j < passage.size() && passage.size() - j > bestLength; j++) {
                int n = 0;
                while (i + n < page.size() && j + n < passage.size() && page.get(i + n).key().equals(passage.get(j + n))) n++;
                if (n > bestLength) {
                    bestStart = i;
                    bestLength = n;
                }
            }
        }
        return bestLength >= Math.min(3, passage.size()) ? new int[] {bestStart, bestLength} : new int[] {0, 0};
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    private static List<Word> pageWords(PDDocument doc, int page) throws IOException {
        List<Word> words = new ArrayList<>();
        PDFTextStripper stripper = new PDFTextStripper() {
            @Override
            protected void writeString(String text, List<TextPosition> positions) {
                collect(positions, words);
            }
        };
        stripper.setSortByPosition(true);
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        stripper.getText(doc);
        return words;
    }

    /** Splits a run of glyphs into words the same way {@link #words} splits the passage. */
    private static void collect(List<TextPosition> glyphs, List<Word> out) {
        StringBuilder key = new StringBuilder();
        TextPosition first = null;
        TextPosition last = null;
        for (TextPosition t : glyphs) {
            String c = t.getUnicode().toLowerCase(Locale.ROOT);
            if (c.codePoints().allMatch(Character::isLetterOrDigit)) {
                if (first == null) first = t;
                last = t;
                key.append(c);
            } else if (first != null) {
                out.add(word(key, first, last));
                key.setLength(0);
                first = null;
            }
        }
        if (first != null) out.add(word(key, first, last));
    }

    private static Word word(CharSequence key, TextPosition first, TextPosition last) {
        float height = Math.max(first.getHeightDir(), last.getHeightDir());
        float bottom = first.getYDirAdj();
        return new Word(key.toString(), first.getXDirAdj(), bottom - height, last.getXDirAdj() + last.getWidthDirAdj(), bottom);
    }
}
