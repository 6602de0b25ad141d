package dev.spillway.chat;

import java.util.Optional;
import java.util.Set;

/**
 * Opens the page or section a citation points at ({@code file.pdf#page=3}, {@code guide.md#setup}),
 * for a user with the given access groups; empty when it does not exist or the user may not see
 * it (the two are indistinguishable on purpose). Implemented by the retrieval module. Thread-safe.
 */
public interface DocumentPages {
    Optional<DocumentPage> open(String citation, Set<String> groups);

    /** The text of one cited page or section, with a human title ({@code handbook.pdf, page 3}). */
    record DocumentPage(String citation, String title, String text) {
    }
}
