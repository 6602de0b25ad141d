package dev.spillway.chat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Pages by citation; a page with a group is visible only to users in that group. */
public final class FakeDocumentPages implements DocumentPages {
    private final Map<String, DocumentPage> pages;
    private final Map<String, String> groupOf;

    public FakeDocumentPages(Map<String, DocumentPage> pages, Map<String, String> groupOf) {
        this.pages = Map.copyOf(pages);
        this.groupOf = Map.copyOf(groupOf);
    }

    public static FakeDocumentPages handbook() {
        return new FakeDocumentPages(Map.of(
                "handbook.pdf#page=3", new DocumentPage("handbook.pdf#page=3", "handbook.pdf, page 3",
                        "Vacation. Employees get 25 days of paid vacation per year. <script>alert(1)</script>"),
                "secret.pdf#page=1", new DocumentPage("secret.pdf#page=1", "secret.pdf, page 1", "Board minutes.")),
                Map.of("secret.pdf#page=1", "board"));
    }

    @Override
    public Optional<DocumentPage> open(String citation, Set<String> groups) {
        String group = groupOf.get(citation);
        if (group != null && !groups.contains(group)) return Optional.empty();
        return Optional.ofNullable(pages.get(citation));
    }
}
