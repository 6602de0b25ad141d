package dev.spillway.gateway.cache.semantic;

/**
 * Turns a question into a unit vector, so that the dot product of two is their cosine
 * similarity. Blocking and CPU-heavy: the semantic index calls it on its own threads, never on an
 * event loop. Implementations are thread-safe and live as long as the gateway.
 */
public interface TextEmbedder extends AutoCloseable {
    /** Names the model; entries made by another model never match. */
    String modelId();

    float[] embed(String text);

    @Override
    default void close() {
    }
}
