package dev.spillway.gateway.pipeline;

/**
 * The reply came from the response cache: how ({@code semantic} or exact), and what the answer
 * cost when a backend produced it (that backend and its tokens), which is what the hit saved.
 * Immutable.
 */
public record CacheHit(boolean semantic, String backend, long promptTokens, long completionTokens) {
}
