package dev.spillway.retrieval.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF via PDFBox: pages numbered from 1, so citations name the page; each page split at the
 * headings {@link PdfHeadings} finds, the heading in force carried across pages. Stateless.
 */
final class PdfParser implements DocumentParser {
    @Override
    public List<Passage> parse(byte[] content) throws IOException {
        try (PDDocument pdf = Loader.loadPDF(content)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            List<Passage> out = new ArrayList<>();
            String heading = "";
            for (int page = 1; page <= pdf.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                PdfHeadings.Split split = PdfHeadings.split(page, stripper.getText(pdf).strip(), heading);
                out.addAll(split.passages());
                heading = split.lastHeading();
            }
            return out;
        }
    }
}
