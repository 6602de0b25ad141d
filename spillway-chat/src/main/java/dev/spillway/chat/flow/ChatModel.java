package dev.spillway.chat.flow;

import java.util.List;
import java.util.function.Consumer;

/**
 * A chat-completion model, reached through the gateway. {@link #complete} blocks (call it on a
 * virtual thread), passes each streamed text delta to {@code onDelta} and returns the whole reply;
 * if {@code onDelta} throws, the upstream call is abandoned. Implementations are thread-safe.
 */
public interface ChatModel {
    Reply complete(Request request, Consumer<String> onDelta);

    /** What to send: the prompt messages, sampling temperature and an answer-length cap. Immutable. */
    record Request(List<ChatMessage> messages, double temperature, int maxTokens) {
        public Request {
            messages = List.copyOf(messages);
        }
    }

    /** The full reply text and its token usage. Immutable. */
    record Reply(String text, TokenUsage usage) {
    }

    /** The model call failed (unreachable, non-2xx, or a stream that broke off); the message says how. */
    final class ModelException extends RuntimeException {
        public ModelException(String message) {
            super(message);
        }

        public ModelException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
