package dev.spillway.chat;

import dev.spillway.retrieval.Hit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The documents as the chat app sees them: the page or section a citation points at
 * ({@code file.pdf#page=3}, {@code guide.md#setup}) for a user with the given access groups (empty
 * when it does not exist or the user may not see it; the two are indistinguishable on purpose), the
 * cited PDF page as an image, topics for example questions, and how far indexing has got. Implemented by the retrieval module.
 * Thread-safe.
 */
public interface DocumentPages {
    Optional<DocumentPage> open(String citation, Set<String> groups);

    /**
     * The cited page as a PNG with the first of {@code passages} found on it marked (the answer's
     * sentence, then the retrieved chunk), when the citation is a PDF page the user may see and
     * its file is still where it was ingested from.
     */
    default Optional<byte[]> pageImage(String citation, Set<String> groups, List<String> passages) {
        return Optional.empty();
    }

    /**
     * Up to {@code n} passages the user may see, one per document, to suggest example questions
     * from when none are configured; empty when the index is empty.
     */
    default List<Hit> topics(int n, Set<String> groups) {
        return List.of();
    }

    /** How far the first indexing run has got; ready at once when nothing is being indexed. */
    default IndexingStatus indexing() {
        return IndexingStatus.READY;
    }

    /**
     * The text of one cited page or section, with a human title ({@code handbook.pdf, page 3});
     * {@code image} says whether {@link #pageImage} can show the page as printed.
     */
    record DocumentPage(String citation, String title, String text, boolean image) {
        public DocumentPage(String citation, String title, String text) {
            this(citation, title, text, false);
        }
    }
}
