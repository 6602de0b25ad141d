package dev.spillway.retrieval.eval;

import dev.spillway.retrieval.Hit;
import java.util.List;

/**
 * Produces an answer to a question, the way the chat app would: the answer text cites sources as
 * {@code [file.pdf#page=N]}, and {@link Answer#sources()} are the chunks it was given. The chat
 * orchestrator implements this so {@code spillway eval answers} can measure it.
 * Implementations say whether they are thread-safe; the evaluation calls one at a time.
 */
public interface AnswerSource {
    Answer answer(String question);

    /** An answer and the retrieved chunks it was grounded on. */
    record Answer(String text, List<Hit> sources) {
        public Answer {
            sources = List.copyOf(sources);
        }
    }
}
