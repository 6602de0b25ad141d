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

    /**
     * What to send: the prompt messages, sampling temperature, an answer-length cap and the signed-in
     * user's access groups (the documents the prompt may hold), which the gateway's response cache
     * partitions by. Immutable.
     */
    record Request(List<ChatMessage> messages, double temperature, int maxTokens, java.util.Set<String> groups) {
        public Request {
            messages = List.copyOf(messages);
            groups = java.util.Set.copyOf(groups);
        }

        /** A request that names no access groups. */
        public Request(List<ChatMessage> messages, double temperature, int maxTokens) {
            this(messages, temperature, maxTokens, java.util.Set.of());
        }
    }

    /** The full reply text and its token usage. Immutable. */
    record Reply(String text, TokenUsage usage) {
    }

    /**
     * The model call failed: {@link Kind} says how (the gateway unreachable, an error status from it,
     * or a stream that broke off), {@code status} is the HTTP status of a rejection (else 0) and the
     * message the details for the log.
     */
    final class ModelException extends RuntimeException {
        /** How a model call failed. */
        public enum Kind { UNREACHABLE, REJECTED, BROKEN }

        private final Kind kind;
        private final int status;

        public ModelException(Kind kind, int status, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
            this.status = status;
        }

        /** A stream that broke off or misbehaved. */
        public ModelException(String message) {
            this(Kind.BROKEN, 0, message, null);
        }

        public Kind kind() {
            return kind;
        }

        public int status() {
            return status;
        }
    }
}
