package dev.spillway.chat;

import dev.spillway.retrieval.Hit;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import dev.spillway.retrieval.index.PdfPageImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pages by citation; a page with a group is visible only to users in that group. With a PDF file,
 * {@code handbook.pdf#page=3} is rendered from page 3 of it. {@link #indexing()} reports the queued
 * statuses one per call, then ready.
 */
public final class FakeDocumentPages implements DocumentPages {
    private final Map<String, DocumentPage> pages;
    private final Map<String, String> groupOf;
    private final Optional<Path> handbookPdf;
    private final Deque<IndexingStatus> indexing = new ArrayDeque<>();

    public FakeDocumentPages(Map<String, DocumentPage> pages, Map<String, String> groupOf, Optional<Path> handbookPdf) {
        this.pages = Map.copyOf(pages);
        this.groupOf = Map.copyOf(groupOf);
        this.handbookPdf = handbookPdf;
    }

    public static FakeDocumentPages handbook() {
        return handbook(Optional.empty());
    }

    public static FakeDocumentPages handbook(Optional<Path> pdf) {
        return new FakeDocumentPages(Map.of(
                "handbook.pdf#page=3", new DocumentPage("handbook.pdf#page=3", "handbook.pdf, page 3",
                        "Vacation. Employees get 25 days of paid vacation per year. <script>alert(1)</script>", pdf.isPresent()),
                "benefits.md#dental", new DocumentPage("benefits.md#dental", "benefits.md",
                        "Benefits\n\nWhat the company pays for.\n\nVision\n\nGlasses every two years.\n\nDental\n\n"
                                + "Dental cleanings are covered twice a year.\n\nGym\n\nHalf of a gym membership."),
                "secret.pdf#page=1", new DocumentPage("secret.pdf#page=1", "secret.pdf, page 1", "Board minutes.")),
                Map.of("secret.pdf#page=1", "board"), pdf);
    }

    /** Reports these statuses to the next calls of {@link #indexing()}, one each, then ready. */
    public synchronized FakeDocumentPages indexingProgress(List<IndexingStatus> statuses) {
        indexing.addAll(statuses);
        return this;
    }

    @Override
    public Optional<DocumentPage> open(String citation, Set<String> groups) {
        String group = groupOf.get(citation);
        if (group != null && !groups.contains(group)) return Optional.empty();
        return Optional.ofNullable(pages.get(citation));
    }

    @Override
    public Optional<byte[]> pageImage(String citation, Set<String> groups, List<String> passages) {
        if (!citation.equals("handbook.pdf#page=3") || open(citation, groups).isEmpty()) return Optional.empty();
        return handbookPdf.map(pdf -> {
            try {
                return PdfPageImage.render(pdf, 3, passages);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The two public documents' first passages. */
    @Override
    public List<Hit> topics(int n, Set<String> groups) {
        return FakeRetriever.handbook().search(new SearchRequest("topics", SearchMode.TEXT, n, groups));
    }

    @Override
    public synchronized IndexingStatus indexing() {
        return indexing.isEmpty() ? IndexingStatus.READY : indexing.poll();
    }
}
