package dev.spillway.gateway.cache;

import java.util.Objects;

/**
 * One stored answer: the whole {@code chat.completion} object as JSON bytes (a streamed answer is
 * assembled into the same shape), the usage the backend reported for it and the backend that
 * produced it (for the price of what a hit saves). Replayed as JSON or as a stream, whichever the
 * client asks for. Immutable; {@code completion} must not be changed once stored.
 */
public record CachedAnswer(byte[] completion, String backend, long promptTokens, long completionTokens) {
    public CachedAnswer {
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(backend, "backend");
        if (promptTokens < 0 || completionTokens < 0) throw new IllegalArgumentException("tokens must be >= 0");
    }

    /** The bytes the store keeps for it (what the in-memory bound counts). */
    public int weight() {
        return completion.length + backend.length() + 64;
    }
}
