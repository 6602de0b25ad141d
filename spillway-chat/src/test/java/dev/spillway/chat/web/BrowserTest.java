package dev.spillway.chat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.spillway.core.testkit.BrowserScript.CHROMIUM;
import static dev.spillway.core.testkit.BrowserScript.SHOTS;

import dev.spillway.chat.FakeDocumentPages;
import dev.spillway.chat.FakeRetriever;
import dev.spillway.chat.FakeSseServer;
import dev.spillway.chat.IndexingStatus;
import dev.spillway.chat.TestChatApp;
import dev.spillway.core.testkit.BrowserScript;
import dev.spillway.retrieval.Hit;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real UI in headless Chromium through playwright-core ({@code src/test/browser}): the chat
 * server runs with a fake retriever, fake pages (a real PDF rendered by {@code PdfPageImage}) and
 * reaches a fake streaming model over HTTP through the production gateway client. The script
 * covers each UI feature of docs/chat.md and saves the screenshots that page shows. Needs {@code node} and Debian's {@code /usr/bin/chromium}; skips
 * loudly without them, fails instead when CI=true. Screenshots land in target/browser-screenshots.
 */
class BrowserTest {
    private static final Path SCRIPT_DIR = Path.of("src/test/browser");

    @TempDir
    Path dir;

    @Test
    void userSignsInAsksAndOpensTheCitedPage() throws Exception {
        BrowserScript.requireTools(SCRIPT_DIR);
        Path pdf = handbookPdf(dir.resolve("handbook.pdf"));
        FakeDocumentPages pages = FakeDocumentPages.handbook(Optional.of(pdf)).indexingProgress(List.of(
                new IndexingStatus(false, 96, 240, 3.2, Optional.of(Duration.ofSeconds(45))),
                new IndexingStatus(false, 180, 240, 3.4, Optional.of(Duration.ofSeconds(18)))));
        try (FakeSseServer model = new FakeSseServer()) {
            model.frameDelayMillis = 40;
            model.statusFor = body -> body.contains("gateway down") && !body.contains("Search query:") ? 503 : 200;
            model.responder = BrowserTest::answer;
            try (TestChatApp app = new TestChatApp(dir, null, 0, "gateway-url: \"" + model.url() + "\"\n"
                    + "example-questions: [\"How many vacation days do I get?\", \"Is dental care covered?\","
                    + " \"What does the vision plan pay for glasses?\"]", retriever(), pages)) {
                Files.createDirectories(SHOTS);
                BrowserScript.Result r = run(List.of("node", "chat.spec.mjs"), app.url());
                assertThat(r.output()).as(r.output()).contains("BROWSER TEST PASSED");
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(SHOTS.resolve("answer.png")).exists();
                assertThat(model.received).allSatisfy(req -> assertThat(req.apiKey()).isEqualTo("test-app-key"));
            }
        }
    }

    private static final String LONG_NAME = "Northwind_Health_Plus_Benefits_Details_2026_final_version_for_all_employees.pdf";

    /** The fake model: a Markdown answer with citations, a long one to stop, or a rewrite. */
    private static List<String> answer(String body) {
        if (body.contains("Search query:")) return FakeSseServer.answer("vacation days per year");
        if (body.contains("Tell me everything")) {
            return FakeSseServer.answer(java.util.stream.IntStream.range(0, 150).mapToObj(i -> "word" + i + " ")
                    .toArray(String[]::new));
        }
        String text = "Employees get **25 days** of paid vacation per year [handbook.pdf#page=3].\n\nAlso covered:\n\n"
                + "- Dental cleanings twice a year [benefits.md#dental]\n- Glasses every two years [" + LONG_NAME + "#page=12]\n\n"
                + "| Benefit | How often |\n|---|---|\n| Dental cleaning | twice a year |\n| Glasses | every two years |\n\n"
                + "Ask HR with `vacation-request` in the subject. <img src=x onerror=alert(1)>";
        // Small deltas, so the answer streams long enough for the browser to see it streaming.
        return FakeSseServer.answer(text.split("(?<=\\G.{12})"));
    }

    private static FakeRetriever retriever() {
        return new FakeRetriever(List.of(
                new Hit("c1", "handbook.pdf", 3, "Vacation", "Employees get 25 days of paid vacation per year.", 0.91,
                        "handbook.pdf#page=3"),
                new Hit("c2", "benefits.md", 0, "Dental", "Dental cleanings are covered twice a year.", 0.72,
                        "benefits.md#dental"),
                new Hit("c3", LONG_NAME, 12, "Vision", "Glasses are paid every two years.", 0.55, LONG_NAME + "#page=12")));
    }

    /** A three-page PDF whose third page holds the cited sentence among others. */
    private static Path handbookPdf(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            String[][] pages = {
                    {"Employee handbook", "Welcome to Contoso."},
                    {"Working hours", "Core hours are 10:00 to 15:00."},
                    {"3. Time off", "Vacation. Employees get 25 days of paid vacation per year.",
                            "Unused days carry over to the first quarter of the next year.",
                            "Sick leave is paid from the first day; tell your manager before 10:00.",
                            "Parental leave follows the law of the country you work in."}};
            for (String[] lines : pages) {
                PDPage page = new PDPage(PDRectangle.A5);
                doc.addPage(page);
                try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                    text.beginText();
                    text.setLeading(20);
                    text.newLineAtOffset(36, page.getMediaBox().getHeight() - 60);
                    for (int i = 0; i < lines.length; i++) {
                        text.setFont(i == 0 ? bold : font, i == 0 ? 16 : 10);
                        text.showText(lines[i]);
                        text.newLine();
                    }
                    text.endText();
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    private static BrowserScript.Result run(List<String> command, String baseUrl) throws Exception {
        return BrowserScript.run(SCRIPT_DIR, command, java.util.Map.of("BASE_URL", baseUrl, "CHAT_USER", "alice",
                "CHAT_PASSWORD", TestChatApp.PASSWORD, "SCREENSHOT_DIR", SHOTS.toAbsolutePath().toString(),
                "CHROMIUM", CHROMIUM.toString()));
    }
}
