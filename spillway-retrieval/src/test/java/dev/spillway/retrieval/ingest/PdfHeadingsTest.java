package dev.spillway.retrieval.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PdfHeadingsTest {
    static final String PAGE = """
            continues the section from the page before, ending here.
            Prior-Authorization for Benefit Coverage
            CARE MANAGEMENT: Prior-Authorization for Benefit Coverage
            Prior-authorization is a process in which Northwind Health requires approval
            before certain services. Some services that may require it include:
            • hospital stays
            Exceptions
            Preventive care is not subject to prior-authorization.""";

    @Test
    void pageIsSplitAtItsHeadingsAndTheFirstPassageKeepsTheCarriedHeading() {
        PdfHeadings.Split split = PdfHeadings.split(7, PAGE, "Claims");
        assertThat(split.passages()).extracting(Passage::section).containsExactly("Claims",
                "CARE MANAGEMENT: Prior-Authorization for Benefit Coverage", "Exceptions");
        assertThat(split.passages()).extracting(Passage::page).containsOnly(7);
        assertThat(split.passages().get(1).text()).startsWith("Prior-authorization is a process")
                .endsWith("• hospital stays");
        assertThat(split.lastHeading()).isEqualTo("Exceptions");
    }

    @Test
    void headingAtTheFootOfAPageIsCarriedToTheNext() {
        PdfHeadings.Split split = PdfHeadings.split(3, "Body text of the page.\nVision Benefits", "");
        assertThat(split.passages()).containsExactly(new Passage(3, "", "Body text of the page."));
        assertThat(split.lastHeading()).isEqualTo("Vision Benefits");
    }

    @Test
    void sentencesAndWrappedLinesAreNotHeadings() {
        for (String line : List.of("Prior-authorization is a process in which Northwind Health requires",
                "Some services may require it, including:", "hospital stays", "• Contact your physician",
                "Northwind Health will notify you.", "A")) {
            assertThat(PdfHeadings.isHeading(line)).as(line).isFalse();
        }
        for (String line : List.of("Exceptions", "Balance Billing Protection", "CARE MANAGEMENT: Prior-Authorization",
                "What is Covered by the Plan")) {
            assertThat(PdfHeadings.isHeading(line)).as(line).isTrue();
        }
    }
}
