package dev.spillway.gateway.cache.semantic;

import java.nio.file.Path;

/**
 * An embedding model found on the class path ({@link java.util.ServiceLoader}); the command-line
 * module provides the in-process models of {@code spillway-retrieval}. Stateless factories.
 */
public interface TextEmbedderProvider {
    /** Whether this provider runs the model named in {@code cache.semantic.model}. */
    boolean provides(String model);

    /** Loads the model; {@code dataDir} is where it may unpack native files. */
    TextEmbedder open(String model, Path dataDir);
}
