package dev.spillway.retrieval.eval;

import dev.spillway.retrieval.Hit;
import java.util.List;

/**
 * Produces an answer to a question, the way the chat app would: the answer text cites sources as
 * {@code [file.pdf#page=N]}, and {@link Answer#sources()} are the chunks it was given. The chat
 * orchestrator implements this so {@code spillway eval answers} can measure it.
 * Implementations say whether they are thread-safe; the evaluation calls one at a time. Close it
 * to release what it opened (an index, a connection).
 */
public interface AnswerSource extends AutoCloseable {
    /** The answer; throws {@link IllegalStateException} saying why when none can be produced. */
    Answer answer(String question);

    @Override
    default void close() {
    }

    /** An answer and the retrieved chunks it was grounded on. */
    record Answer(String text, List<Hit> sources) {
        public Answer {
            sources = List.copyOf(sources);
        }
    }
}
